# DIDS v1 XML: NHS England's fixtures, DIDS076 on broken documents (exit 2,
# with the line), hostile input, sniffing by content, and a synthetic month
# that gives the same findings as CSV and as XML.
. "$(dirname "$0")/lib.sh"
C="$DIDQ check --submitted 2018-08-01"
EX=data/nhs-rcl/xml/00001_example/input.xml
SIMPLE=data/nhs-rcl/xml/00002_simple/input.xml

expect example 1 '"records": 2' -- $C --format json $EX
expect example-lines 1 'input.xml,30,2,5122,RR801,DIDS051' -- $C --findings - $EX
expect simple 0 "1 record, 0 with errors" -- $C $SIMPLE

# line N of file F (first line matching a fixed string)
lineof() { grep -nF -- "$2" "$1" | head -1 | cut -d: -f1; }

# bad NAME FILE LINE MESSAGE: exit 2 and DIDS076 at LINE in the JSON report.
bad_xml() {
    expect "$1" 2 "{\"code\": \"DIDS076\", \"line\": $3, \"severity\": \"reject\", \"message\": \"$4" \
        -- $C --format json "$2"
}

head -n -1 $SIMPLE > "$T/unclosed.xml"
bad_xml unclosed-root "$T/unclosed.xml" 30 "XML is not well formed: the document ends before DIDS (opened on line 2)"

sed 's/DIDS-v1-0/DIDS-v9-9/' $SIMPLE > "$T/ns.xml"
bad_xml wrong-namespace "$T/ns.xml" 2 "Element DIDS is not in the DIDS v1 namespace"

sed 's/<DIDS /<Submission /; s/<\/DIDS>/<\/Submission>/' $SIMPLE > "$T/root.xml"
bad_xml wrong-root "$T/root.xml" 2 "The root element is Submission, not DIDS"

for c in '&amp;' '&lt;' '&gt;' '&quot;' "'"; do
    sed "s/>1959-06-22</>${c//&/\\&}</" $SIMPLE > "$T/reserved.xml"
    bad_xml "reserved $c" "$T/reserved.xml" 7 "Element PersonBirthDate contains only the XML reserved character"
done
sed 's/>1959-06-22</>\&amp;x</' $SIMPLE > "$T/notreserved.xml"
expect reserved-plus-text 1 "DIDS005" -- $C "$T/notreserved.xml"

grep -v ReferrerCode $SIMPLE > "$T/missing.xml"
bad_xml missing-referrer "$T/missing.xml" "$(lineof "$T/missing.xml" ReferringOrgCode)" \
    "Referrals lacks the mandatory ReferrerCode (expected before ReferringOrgCode)"

grep -v DiagnosticTestReqRecDate $SIMPLE > "$T/missing-end.xml"
bad_xml missing-last "$T/missing-end.xml" 15 "Referrals lacks the mandatory DiagnosticTestReqRecDate (element opened on line 15)"

sed '/ServiceReportIssueDate/{h;d};/ImagingSiteCode/G' $SIMPLE > "$T/order.xml"
bad_xml wrong-order "$T/order.xml" "$(lineof "$T/order.xml" ServiceReportIssueDate)" \
    "ServiceReportIssueDate is out of order in ImagingActivity: it must come before ImagingSiteCode"

sed '/ImagingSiteCode/{h;d};/RadiologicalAccessionNumber/G' $SIMPLE > "$T/swap.xml"
bad_xml swapped-mandatory "$T/swap.xml" "$(lineof "$T/swap.xml" RadiologicalAccessionNumber)" \
    "ImagingActivity lacks the mandatory ImagingSiteCode (expected before RadiologicalAccessionNumber)"

# (A SNOMED code after DiagnosticTestDate is accepted: see the spec-order case below.)

grep -v RadiologicalAccessionNumber $EX > "$T/noacc.xml"
bad_xml two-without-accession "$T/noacc.xml" 22 "ImagingActivity lacks the mandatory RadiologicalAccessionNumber (element opened on line 22)"

grep -v 'extension="5122"' $EX > "$T/noacc2.xml"
bad_xml second-without-accession "$T/noacc2.xml" 30 "ImagingActivity lacks the mandatory RadiologicalAccessionNumber"
expect records-before-error-kept 2 '"records": 1' -- $C --format json "$T/noacc2.xml"

grep -v -e ImagingCodeNICIP -e ImagingCodeSNOMEDCT $SIMPLE > "$T/nocode.xml"
bad_xml no-imaging-code "$T/nocode.xml" 22 "ImagingActivity has neither ImagingCodeNICIP nor ImagingCodeSNOMEDCT"

sed 's/<Referrals>/<Referrals>Leeds/' $SIMPLE > "$T/text.xml"
bad_xml text-in-container "$T/text.xml" 15 "Element Referrals holds text; its value belongs in its child elements"

sed 's|<NHSNumberStatus code="01" />|<NHSNumberStatus code="01">01</NHSNumberStatus>|' $SIMPLE > "$T/text2.xml"
bad_xml text-in-coded "$T/text2.xml" 6 "Element NHSNumberStatus holds text; its value belongs in an attribute"

sed '/<NHSNumber /p' $SIMPLE > "$T/twonhs.xml"
bad_xml two-nhs-numbers "$T/twonhs.xml" 6 "PersonalAndDemographics holds more than 1 NHSNumber element"

sed '/<ImagingActivity>/,/<\/ImagingActivity>/d' $SIMPLE > "$T/noact.xml"
bad_xml no-activity "$T/noact.xml" 3 "DIDSRecord lacks the mandatory ImagingActivity"

sed '/<DIDSRecord>/,/<\/DIDSRecord>/d' $SIMPLE > "$T/norec.xml"
bad_xml no-record "$T/norec.xml" 2 "DIDS lacks the mandatory DIDSRecord"

sed 's|<ReferringOrgCode|<Colour code="red" /><ReferringOrgCode|' $SIMPLE > "$T/unknown.xml"
bad_xml unknown-element "$T/unknown.xml" 18 "Element Colour is not allowed in Referrals"

{ cat $SIMPLE; printf '\n\x00\xff\xfe junk'; } > "$T/junk.xml"
bad_xml junk-after-root "$T/junk.xml" 32 "XML is not well formed"

sed 's/LS25 2LZ/LS25 \xff2LZ/' $SIMPLE > "$T/latin1.xml"
bad_xml bad-utf8 "$T/latin1.xml" 11 "XML is not well formed"

# Hostile input: entity bombs and external entities, deep nesting, huge text.
{ echo '<?xml version="1.0"?>'
  echo '<!DOCTYPE DIDS [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
  echo '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY x SYSTEM "file:///etc/passwd">]>'
  tail -n +2 $SIMPLE | sed 's/>1959-06-22</>\&c;\&x;</'; } > "$T/bomb.xml"
bad_xml entities "$T/bomb.xml" 2 "The document has a DOCTYPE declaration"

{ head -n 3 $SIMPLE; awk 'BEGIN { for (i = 0; i < 100000; i++) printf "<a>"; print "" }'; } > "$T/deep.xml"
bad_xml deep-nesting "$T/deep.xml" 4 "Element a is not allowed in DIDSRecord"

{ sed -n 1,6p $SIMPLE; printf '      <PersonBirthDate> '; head -c 3000000 /dev/zero | tr '\0' 'x'
  printf '</PersonBirthDate>\n'; sed -n '8,$p' $SIMPLE; } > "$T/huge.xml"
expect huge-text 1 "DIDQ104 line 22" -- $C "$T/huge.xml"

# The format comes from the content, not the name.
printf '%s\n' "$ROW" > "$T/really-csv.xml"
expect csv-named-xml 0 "(csv): 1 record," -- $C "$T/really-csv.xml"
cp $SIMPLE "$T/really-xml.csv"
expect xml-named-csv 0 "(xml): 1 record," -- $C "$T/really-xml.csv"

{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE $SIMPLE; } > "$T/utf16.xml"
expect utf16-xml 0 "(xml): 1 record," -- $C "$T/utf16.xml"

# A synthetic month with defects: the same findings as CSV and as XML.
S="$DIDQ synth --rows 400 --seed 7 --month 2018-07 --defect-rate 0.3 --defect-duplicates"
$S -o "$T/m.csv" && $S --format xml -o "$T/m.xml" || bad "synth failed"
$C --findings "$T/fc" "$T/m.csv" > "$T/rc" ; stc=$?
$C --findings "$T/fx" "$T/m.xml" > "$T/rx" ; stx=$?
[ "$stc" = 1 ] && [ "$stx" = 1 ] && ok || bad "twin: exit $stc (csv) and $stx (xml), want 1"
cut -d, -f3- "$T/fc" > "$T/fc3"; cut -d, -f3- "$T/fx" > "$T/fx3"
n=$(wc -l < "$T/fc3")
[ "$n" -gt 50 ] && cmp -s "$T/fc3" "$T/fx3" && ok || { bad "twin findings differ ($n rows)"; diff "$T/fc3" "$T/fx3" | head >&2; }
grep -q ',DIDS056,' "$T/fx3" && ok || bad "twin: no DIDS056 record in the XML month"
sed 1,3d "$T/rc" > "$T/rc2"; sed 1,3d "$T/rx" > "$T/rx2"
cmp -s "$T/rc2" "$T/rx2" && ok || { bad "twin summaries differ"; diff "$T/rc2" "$T/rx2" | head >&2; }

# The imaging codes and DiagnosticTestDate may come in either order, once each.
sed -e '/<ImagingCodeNICIP/{h;d}' -e '/<ImagingCodeSNOMEDCT/{H;d}' \
    -e '/<DiagnosticTestDate>/{G}' data/nhs-rcl/xml/00002_simple/input.xml > "$T/specorder.xml"
grep -A2 '<DiagnosticTestDate>' "$T/specorder.xml" | grep -q ImagingCodeSNOMEDCT && ok || bad "spec-order fixture not built"
expect spec-order 0 "1 record, 0 with errors" -- "$DIDQ" check --submitted 2018-08-01 "$T/specorder.xml"
sed -e 's|\(<DiagnosticTestDate>.*</DiagnosticTestDate>\)|\1<ImagingCodeNICIP code="CSHRB" />|' \
    data/nhs-rcl/xml/00002_simple/input.xml > "$T/twice.xml"
expect code-twice 2 "ImagingCodeNICIP is out of order" -- "$DIDQ" check --submitted 2018-08-01 "$T/twice.xml"
finish
