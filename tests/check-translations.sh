#!/bin/sh
# Fails when a string marked for translation has no pt_BR translation, or
# when po/pt_BR.po has fuzzy, untranslated or malformed entries.
# usage: check-translations.sh SOURCE_ROOT
set -u
top=${1:?source root}
cd "$top" || exit 1
po=po/pt_BR.po
pot=$(mktemp) || exit 1
trap 'rm -f "$pot"' EXIT

echo "TAP version 13"
echo "1..4"

if stats=$(msgfmt --check --statistics -o /dev/null "$po" 2>&1); then
  echo "ok 1 - $po compiles: $stats"
else
  echo "not ok 1 - $po does not compile"; echo "$stats" | sed 's/^/# /'
fi

case "$stats" in
  *fuzzy*|*untranslated*) echo "not ok 2 - $po is incomplete: $stats" ;;
  *) echo "ok 2 - no fuzzy or untranslated entries" ;;
esac

# The same extraction as the update-po target: keywords of the glib preset,
# and gettext's ITS rules for .ui, .desktop, metainfo and gschema files.
grep -v '^#' po/POTFILES.in | grep -v '^[[:space:]]*$' > "$pot.files"
if ! xgettext --from-code=UTF-8 --add-comments --keyword=_ --keyword=N_ \
     --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 \
     --keyword=ngettext:1,2 --keyword=g_dpgettext2:2c,3 \
     --files-from="$pot.files" -o "$pot" 2>"$pot.err"; then
  echo "not ok 3 - xgettext failed"; sed 's/^/# /' "$pot.err"
else
  # Merge without fuzzy matching: whatever then lacks a translation is missing.
  missing=$(msgmerge --quiet --no-fuzzy-matching "$po" "$pot" -o - 2>/dev/null |
            msgattrib --untranslated --no-obsolete 2>/dev/null | grep '^msgid ' | grep -v '^msgid ""$')
  if [ -z "$missing" ]; then
    echo "ok 3 - every marked string is in $po"
  else
    echo "not ok 3 - $(echo "$missing" | wc -l) marked strings lack a pt_BR translation"
    echo "$missing" | sed 's/^/# /' | head -80
  fi
fi

# Every source file that marks a string is listed in po/POTFILES.in, or
# its strings never reach the translators (headers only name msgids).
unlisted=$(grep -rlIE '(^|[^A-Za-z0-9_])(N?C?_|g_dngettext|ngettext) ?\(|translatable="yes"' src data |
           grep -v '\.h$' | sort | while read -r f; do
             grep -qx "$f" "$pot.files" || echo "$f"
           done)
if [ -z "$unlisted" ]; then
  echo "ok 4 - every file with marked strings is in po/POTFILES.in"
else
  echo "not ok 4 - files with marked strings missing from po/POTFILES.in"
  echo "$unlisted" | sed 's/^/# /'
fi
rm -f "$pot.files" "$pot.err"
