# only.awk — prints an incbench config without the sections whose plugin is
# not among the built ones (-v built="direct tcp ..."), with a first line
# naming those left out: a build without some plugins still installs a seed
# experiment it can run. Reads the file twice (awk -f only.awk F F): the
# first reading finds the sections to drop, the second prints the rest.
# A plugin given as a path (with a '/') is kept. A baseline naming a section
# left out is left out too (commented), since it could not be found.
BEGIN {
    n = split(built, names, " ")
    for (i = 1; i <= n; i++)
        ok[names[i]] = 1
}
# The second reading starts with the names left out, wrapped at 80 columns:
# inih reads lines of at most 198 characters. (Before the section rule, so
# that a file opening with a section header keeps it.)
FNR == 1 && NR != FNR {
    section = ""
    line = "; left out, their plugin not built:"
    for (i = 1; i <= nleft; i++) {
        if (length(line) + 1 + length(lefts[i]) > 80) {
            print line
            line = ";"
        }
        line = line " " lefts[i]
    }
    if (nleft > 0)
        print line
}
/^[ \t]*\[/ {
    section = $0
    sub(/^[ \t]*\[/, "", section)
    sub(/\].*$/, "", section)
}
FNR == NR {
    if ($0 ~ /^[ \t]*plugin[ \t]*=/) {
        value = $0
        sub(/^[^=]*=[ \t]*/, "", value)
        sub(/[ \t]+;.*$/, "", value)
        sub(/[ \t]+$/, "", value)
        if (!(value in ok) && value !~ /\//) {
            drop[section] = 1
            lefts[++nleft] = "[" section "]"
        }
    }
    next
}
section == "runner" && $0 ~ /^[ \t]*baseline[ \t]*=/ {
    value = $0
    sub(/^[^=]*=[ \t]*/, "", value)
    sub(/[ \t]+;.*$/, "", value)
    sub(/[ \t]+$/, "", value)
    if (value in drop) {
        print "; baseline = " value "   (left out: its plugin is not built)"
        next
    }
}
!(section in drop)
