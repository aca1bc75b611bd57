# Sourced by the bench scripts: reading bench/measure's lines and taking
# medians.

# field prints one figure of a measure line (wall_seconds, cpu_seconds,
# peak_rss_kib).
field() { awk -v k="$1:" '{for (i = 1; i < NF; i++) if ($i == k) print $(i + 1)}'; }

# median prints the median of the numbers on stdin.
median() { sort -g | awk '{r[NR] = $1} END {m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2; print m}'; }
