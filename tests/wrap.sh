#!/bin/sh
# wrap.sh PROGRAM ARGS...: runs the program under $DIDQ_WRAP when it is set
# (the valgrind test preset sets it to a valgrind command line), else as is.
# shellcheck disable=SC2086
exec ${DIDQ_WRAP:-} "$@"
