# 'cmake --install' (cmake/Install.cmake) puts the program, the man page
# (section 1), the bash completion, the licence, the documentation (docs/*.md)
# and the tables the help names (refdata/) under the prefix, in the
# GNUInstallDirs places; the installed program runs.
. "$(dirname "$0")/lib.sh"
root=$ROOT
build=$(dirname "$PROGRAM") # not $DIDQ: DIDQ_WRAP may make it a script
p=$T/prefix
expect cmake-install 0 "" -- cmake --install "$build" --prefix "$p"
got=$(cd "$p" && find . -type f | sort)
want=$( (printf '%s\n' ./bin/didq ./share/bash-completion/completions/didq \
    ./share/doc/didq/copyright ./share/man/man1/didq.1.gz
    cd "$root" && for f in docs/*.md; do echo "./share/doc/didq/$f"; done
    cd "$root" && find refdata -type f | sed 's|^|./share/doc/didq/|') | sort)
if [ "$got" = "$want" ]; then ok; else bad "installed files:"$'\n'"$got"$'\n'"want:"$'\n'"$want"; fi
# the documents the man page and the help name, as in the tree
expect usage-doc 0 "" -- cmp "$p/share/doc/didq/docs/usage.md" "$root/docs/usage.md"
expect thresholds-table 0 "" -- cmp "$p/share/doc/didq/refdata/anomalies.csv" \
    "$root/refdata/anomalies.csv"
expect installed-runs 0 "didq " -- "$p/bin/didq" --version
expect man-page 0 "" -- cmp <(gzip -dc "$p/share/man/man1/didq.1.gz") "$root/docs/didq.1"
expect completion 0 "" -- cmp "$p/share/bash-completion/completions/didq" \
    "$root/dist/bash-completion/didq"
expect copyright 0 "" -- cmp "$p/share/doc/didq/copyright" "$root/LICENSE"
finish
