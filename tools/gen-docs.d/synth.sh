# synth.sh (sourced by tools/gen-docs.sh): docs/synth.md's tables from
# refdata/synth/*.csv.

synth_sites() {
    echo "| site | trust | weight | accession prefix | patient outward codes | GP practices |"
    echo "|---|---|---|---|---|---|"
    awk -F, 'NR > 1 { printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }' \
        "$top/refdata/synth/sites.csv"
}

synth_modalities() {
    echo "| first letter | modality | codes | share of records |"
    echo "|---|---|---|---|"
    awk -F, 'NR > 1 { l = $1 == "" ? "(SNOMED only)" : substr($1, 1, 1); w[l] += $3; n[l]++; t += $3 }
        END {
            split("X U C M F N I (SNOMED only)", order, " ")
            name["X"] = "plain radiography"; name["U"] = "ultrasound"; name["C"] = "CT"
            name["M"] = "MRI"; name["F"] = "fluoroscopy"; name["N"] = "nuclear medicine"
            name["I"] = "interventional"; name["(SNOMED"] = "SNOMED CT code only"
            for (i = 1; i <= 8; i++) {
                l = order[i]; if (l == "(SNOMED") l = "(SNOMED only)"
                if (!(l in w)) continue
                key = l == "(SNOMED only)" ? "(SNOMED" : l
                printf "| %s | %s | %d | %.1f%% |\n", l, name[key], n[l], 100 * w[l] / t
            }
        }' "$top/refdata/synth/imaging.csv"
}

generate docs/synth.md sites synth_sites
generate docs/synth.md modalities synth_modalities
