# apply reads its file once: a topology given through a pipe or a FIFO (process substitution,
# /dev/stdin, `mkfifo`) applies exactly as the file itself. Engine::prepare's guess of the lab
# name must not read the file a second time (it would steal bytes from the parser, or block on a
# FIFO whose writer has gone).
source "$(dirname "$0")/lib.sh"
lab=$TOPOLOGIES/two-routers.yaml

expect_rc "apply from the file" 0 timeout 20 "$NSTOPO" -q apply "$lab"

# The lab has a record now, so apply guesses and prepares. Through a pipe:
for i in 1 2 3 4 5 6; do
  expect_rc "re-apply through a pipe, run $i" 0 timeout 20 bash -c "cat '$lab' | '$NSTOPO' -q apply /dev/stdin"
done
for i in 1 2 3 4 5 6; do
  expect_rc "re-apply through process substitution, run $i" 0 timeout 20 bash -c "'$NSTOPO' -q apply <(cat '$lab')"
done
# Through a FIFO whose writer writes once and leaves.
mkfifo "$WORK/lab.fifo"
for i in 1 2 3; do
  ( cat "$lab" >"$WORK/lab.fifo" ) &
  expect_rc "re-apply through a FIFO, run $i" 0 timeout 20 "$NSTOPO" -q apply "$WORK/lab.fifo"
  kill %1 2>/dev/null || true; wait 2>/dev/null || true
done
expect_rc "in sync" 0 "$NSTOPO" plan --detailed-exitcode "$lab"
expect_rc "destroy" 0 "$NSTOPO" destroy two-routers
finish
