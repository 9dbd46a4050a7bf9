#!/bin/sh
# check_office.sh DIR FILE.xlsx... -- LibreOffice (headless) opens each
# workbook and converts it to PDF in DIR; fails when soffice fails, says
# anything about an error, or writes no PDF.  Used by `make check-office`.
# A private LibreOffice profile in DIR keeps the user's own out of it.
dir=$1
shift
status=0
for f in "$@"; do
    base=$(basename "$f" .xlsx)
    rm -f "$dir/$base.pdf"
    out=$(soffice --headless --norestore \
        "-env:UserInstallation=file://$(cd "$dir" && pwd)/lo-profile" \
        --convert-to pdf --outdir "$dir" "$f" 2>&1)
    rc=$?
    if [ $rc -ne 0 ] || printf '%s\n' "$out" | grep -qi 'error'; then
        printf 'check-office: %s: soffice exit %s\n%s\n' "$f" "$rc" "$out"
        status=1
    elif [ ! -s "$dir/$base.pdf" ] ||
        [ "$(head -c 4 "$dir/$base.pdf")" != "%PDF" ]; then
        printf 'check-office: %s: no PDF written\n%s\n' "$f" "$out"
        status=1
    else
        echo "check-office: $f: converted to $dir/$base.pdf"
    fi
done
exit $status
