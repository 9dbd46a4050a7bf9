"""zipcount.py FILE TEXT [MEMBER]: how many lines of the zip FILE's parts
(every part, or MEMBER alone) contain TEXT, printed as "count=N", as
grep -c counts them.  Exit status 2 when FILE is not a zip or has no
MEMBER, so that a check of "count=0" cannot pass on a file it did not
read.  Python's standard library only: a fresh machine has no unzip(1)."""
import sys
import zipfile


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        with zipfile.ZipFile(argv[1]) as z:
            names = [argv[3]] if len(argv) == 4 else z.namelist()
            count = 0
            for name in names:
                text = z.read(name).decode("utf-8", "replace")
                count += sum(argv[2] in line for line in text.splitlines())
    except (OSError, KeyError, zipfile.BadZipFile) as e:
        print("zipcount: %s: %s" % (argv[1], e), file=sys.stderr)
        return 2
    print("count=%d" % count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
