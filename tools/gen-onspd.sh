#!/usr/bin/env bash
# gen-onspd.sh FILE [ROWS]: writes a synthetic file in the ONS Postcode
# Directory CSV layout (header row, 55 quoted columns as in the published
# ONSPD, one row per postcode), ROWS rows (default 2,700,000, the size of
# the full directory), to measure how fast didq loads it.  The postcodes are
# made up (outward AA1..ZZ99, inward 0AA..9ZZ); about 1 in 8 is terminated.
set -euo pipefail
out=${1:?usage: gen-onspd.sh FILE [ROWS]}
rows=${2:-2700000}
awk -v rows="$rows" 'BEGIN {
    h = "pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,parish,usertype,oseast1m," \
        "osnrth1m,osgrdind,oshlthau,nhser,ctry,rgn,streg,pcon,eer,teclec,ttwa,pct,itl," \
        "statsward,oa01,casward,npark,lsoa01,msoa01,ur01ind,oac01,oa11,lsoa11,msoa11,wz11," \
        "sicbl,bua24,ru11ind,oac11,lat,long,lep1,lep2,pfa,imd,calncv,icb,oa21,lsoa21,msoa21," \
        "ruc21ind,pcon24,ttwa15"
    n = split(h, col, ",")
    line = ""
    for (i = 1; i <= n; i++) line = line (i > 1 ? "," : "") "\"" col[i] "\""
    print line
    L = "ABCDEFGHJKLMNOPRSTUWYZ"; I = "ABDEFGHJLNPQRSTUWXYZ"
    tail = ",\"E10000023\",\"E58000999\",\"E07000164\",\"E05006789\",\"E04007123\",0," \
           "430000,433000,1,\"E18000003\",\"E40000012\",\"E92000001\",\"E12000003\",0," \
           "\"E14001234\",\"E15000003\",\"E17000003\",\"E30000123\",\"E16000123\",\"E06000014\"," \
           "\"00CMGA\",\"E00067890\",\"00CMGA\",\"\",\"E01012345\",\"E02002345\",\"A\",\"3B1\"," \
           "\"E00134567\",\"E01023456\",\"E02004567\",\"E33012345\",\"E38000123\",\"E63012345\"," \
           "\"A1\",\"5B3\",53.801234,-1.548765,\"E37000062\",\"\",\"E23000009\",12345," \
           "\"E56000123\",\"E54000005\",\"E00170123\",\"E01034567\",\"E02006789\",\"UN1\"," \
           "\"E14001234\",\"E30000123\""
    k = 0
    for (a = 1; k < rows; a++) {
        out = substr(L, (a % 22) + 1, 1) substr(L, (int(a / 22) % 22) + 1, 1) (int(a / 484) % 99 + 1)
        for (d = 0; d < 10 && k < rows; d++)
            for (x = 1; x <= 20 && k < rows; x++)
                for (y = 1; y <= 20 && k < rows; y += 3) {
                    inw = d substr(I, x, 1) substr(I, y, 1)
                    pc = out " " inw
                    term = (k % 8 == 7) ? "200212" : ""
                    printf "\"%-4s%s\",\"%-5s%s\",\"%s\",\"198001\",\"%s\"%s\n", out, inw, out, inw, pc, term, tail
                    k++
                }
    }
}' > "$out"
