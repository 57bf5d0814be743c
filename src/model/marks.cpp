#include "nstopo/kernel.hpp"

namespace nstopo {

std::string link_mark(const std::string& lab) { return kLinkMarkPrefix + lab; }

std::string lab_from_mark(const std::string& ifalias) {
    if (ifalias.size() <= kLinkMarkPrefix.size() || ifalias.rfind(kLinkMarkPrefix, 0) != 0) return {};
    return ifalias.substr(kLinkMarkPrefix.size());
}

}  // namespace nstopo
