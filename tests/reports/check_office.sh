#!/bin/sh
# check_office.sh DIR FILE.xlsx... -- LibreOffice (headless) opens each
# workbook and converts it to PDF in DIR; fails when soffice fails, says
# anything about an error, or writes no PDF.  Then saves it again as .xlsx
# in DIR/resaved and checks that every value survived
# (compare_resaved.py: an oracle independent of ptlims and of
# libxlsxwriter).  Used by `make check-office`.
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
    mkdir -p "$dir/resaved"
    rm -f "$dir/resaved/$base.xlsx"
    soffice --headless --norestore \
        "-env:UserInstallation=file://$(cd "$dir" && pwd)/lo-profile" \
        --convert-to xlsx --outdir "$dir/resaved" "$f" >/dev/null 2>&1
    if [ ! -s "$dir/resaved/$base.xlsx" ]; then
        printf 'check-office: %s: LibreOffice did not save it again\n' "$f"
        status=1
    elif ! /usr/bin/python3 "$(dirname "$0")/compare_resaved.py" "$f" \
        "$dir/resaved/$base.xlsx"; then
        printf 'check-office: %s: values changed when re-saved\n' "$f"
        status=1
    fi
done
exit $status
