# anomaly_kinds.sh: what is written per anomaly kind outside the one list
# (include/didq/anomaly_kinds.h) follows it: the kind list of `didq help
# synth`, docs/anomalies.md (a paragraph per kind, and the explorer table)
# and docs/synth.md (a row per kind of the injection table), each naming
# every kind once, in the order of the list.  refdata/anomalies.csv, the
# list as anomaly_kinds gives it, is checked against the C list by didq
# itself and by tests/unit/test_anomaly.c.
. "$(dirname "$0")/lib.sh"
top=$ROOT
want=$(anomaly_kinds)
[ "$(echo "$want" | wc -l)" -ge 14 ] && ok || bad "anomaly_kinds: $(echo $want)"

same() { # NAME GOT: GOT is the list
    [ "$2" = "$want" ] && ok || bad "$1: $(echo $2)"
}
words() { tr ', ' '\n\n' | grep -v '^$'; }

# `didq help synth`: from "plant an anomaly at a site:" to "sites:"
same "didq help synth" "$("$DIDQ" help synth | awk '/sites:/ { on = 0 }
    /plant an anomaly at a site:/ { on = 1; sub(/.*at a site:/, "") } on' | words)"

same "docs/anomalies.md, one paragraph a kind" \
    "$(sed -n 's/^\*\*\([a-z-]*\)\.\*\* .*/\1/p' "$top/docs/anomalies.md")"

same "docs/anomalies.md, the explorer table" "$(awk '/^## / { on = 0 }
    /^### Where each kind shows/ { on = 1 } on && /^\| [a-z]/ && !/^\| kind \|/' \
    "$top/docs/anomalies.md" | cut -d'|' -f2 | words)"

same "docs/synth.md, the injection table" "$(awk '/^## / { on = 0 }
    /^## Injections/ { on = 1 } on' "$top/docs/synth.md" | sed -n 's/^| `\([a-z-]*\)` | .*/\1/p')"
finish
