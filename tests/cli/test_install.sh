#!/usr/bin/env bash
# cmake --install into a temporary prefix (with --prefix, and with CMAKE_INSTALL_PREFIX): the installed binary
# runs, scans the example (VCF.gz and BCF) with the installed panel file as it does with the bundled one, and the
# man page made by help2man renders without a warning and documents every command's options.
# Usage: test_install.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=$(readlink -f "$1")
src=$(readlink -f "$2")
. "$src/tests/cli/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
example=$src/tests/data/example_cohort.vcf.gz
golden=$src/tests/data/golden
version=$(sed -n 's/^project(healcap VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")

prefix=$work/prefix
run cmake --install "$build" --prefix "$prefix"
expect_rc "cmake --install --prefix" 0
for f in bin/healcap share/healcap/healing_panel.tsv share/man/man1/healcap.1; do
  if [ -f "$prefix/$f" ]; then pass "installs $f"; else fail "does not install $f" "$out"; fi
done
[ -x "$prefix/bin/healcap" ] && pass "bin/healcap is executable" || fail "bin/healcap is not executable"
cmp -s "$prefix/share/healcap/healing_panel.tsv" "$src/gene_panels/healing_panel.tsv" &&
  pass "the installed panel file is the bundled panel" || fail "the installed panel file differs from gene_panels/healing_panel.tsv"

# The prefix given at install time through CMAKE_INSTALL_PREFIX, as 'cmake -DCMAKE_INSTALL_PREFIX=P' sets it.
run cmake -DCMAKE_INSTALL_PREFIX="$work/prefix2" -P "$build/cmake_install.cmake"
expect_rc "cmake_install.cmake with CMAKE_INSTALL_PREFIX" 0
for f in bin/healcap share/healcap/healing_panel.tsv share/man/man1/healcap.1; do
  if [ -f "$work/prefix2/$f" ]; then pass "CMAKE_INSTALL_PREFIX: installs $f"; else fail "CMAKE_INSTALL_PREFIX: no $f" "$out"; fi
done

# The installed binary, run from elsewhere (nothing of the build tree on its path).
installed=$prefix/bin/healcap
run env -C "$work" "$installed" --version
expect_rc "installed healcap --version" 0
expect_eq "installed healcap --version names the project's version" "$out" "healcap $version"
bcftools view -Ob -o "$work/example.bcf" "$example" && bcftools index "$work/example.bcf"
for input in "$example" "$work/example.bcf"; do
  kind=${input##*.}
  run env -C "$work" "$installed" scan --panel "$prefix/share/healcap/healing_panel.tsv" --out "$work/$kind" "$input"
  expect_rc "$kind: installed healcap scans the example with the installed panel file" 0
  for f in samples.tsv sites.tsv; do
    if cmp -s "$work/$kind.$f" "$golden/example.$f"; then pass "$kind: $f equals the golden file (the bundled panel's)"
    else fail "$kind: $f differs from the golden file"; fi
  done
  expect_match "$kind: the JSON names the installed panel file's hash" "$(cat "$work/$kind.json")" \
    "\"sha256\":\"$(sha256sum "$src/gene_panels/healing_panel.tsv" | cut -c1-64)\""
done

# The man page: groff with every warning on says nothing, and the text has the sections and the options.
page=$prefix/share/man/man1/healcap.1
warnings=$(groff -man -Tutf8 -ww "$page" 2>&1 >"$work/man.txt")
expect_eq "groff -man -ww renders the man page without a warning" "$warnings" ""
text=$(sed 's/.\x08//g' "$work/man.txt")  # drop the overstrikes of bold and underline
for section in NAME SYNOPSIS DESCRIPTION OPTIONS EXAMPLES ENVIRONMENT FILES; do
  expect_match "the man page has $section" "$text" "^$section\$"
done
expect_match "NAME says what healcap is" "$text" "healcap - healing-capacity variant panel scanner \(research use only\)"
expect_match "SYNOPSIS is the usage line" "$text" "healcap \[--version\|--help\] <command> \[options\]"
expect_match "the footer carries the version" "$text" "healcap $version"
for heading in "Input options of healcap scan:" "Region options of healcap scan:" "Output options of healcap annotate:" \
               "Input options of healcap merge:" "Export options of healcap panel export:"; do
  expect_match "the man page has the subsection '$heading'" "$text" "^   $heading\$"
done
# Every option of every command's --help is in the man page, as its own entry.
n_missing=0
for cmd in scan annotate merge "panel list" "panel show" "panel validate" "panel export"; do
  # shellcheck disable=SC2086
  for opt in $("$installed" $cmd --help | grep -oE '^ {4,8}(-[A-Za-z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+'); do
    if ! grep -qE -- "^       (-[A-Za-z], )?$opt( |\[|\$)" <<<"$text"; then
      fail "the man page lacks $cmd $opt"
      n_missing=$((n_missing + 1))
    fi
  done
done
[ "$n_missing" -eq 0 ] && pass "the man page has an entry for every option of every command's --help"
expect_match "the man page documents --threads" "$text" "^       --threads N$"
expect_match "the man page documents --quiet" "$text" "^       --quiet$"

# man itself: 'man -l FILE', and 'man healcap' with PREFIX/bin on PATH (man-db then looks in PREFIX/share/man).
if command -v man >/dev/null; then
  run env MANWIDTH=100 man -l "$page"
  expect_rc "man -l renders the page" 0
  expect_match "man -l shows the scan options" "$out" "Input options of healcap scan:"
  run env -u MANPATH PATH="$prefix/bin:$PATH" MANWIDTH=100 man healcap
  expect_rc "man healcap finds the installed page when PREFIX/bin is on PATH" 0
  expect_match "man healcap is healcap's page" "$out" "healcap - healing-capacity variant panel scanner"
else
  fail "man (man-db) is not installed; scripts/setup.sh installs it"
fi

finish
