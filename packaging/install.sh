#!/bin/sh
# Install Westfall Legal from the unpacked bundle this script sits in.
#
#   sudo ./install.sh              # for every user: /opt/westfall-legal, /usr/local/bin,
#                                  #   /usr/share/applications, /usr/share/icons
#   ./install.sh                   # for you only: ~/.local/opt/westfall-legal, ~/.local/bin,
#                                  #   ~/.local/share/applications, ~/.local/share/icons
#   ./install.sh --prefix DIR      # the app folder goes to DIR (links and menu entry as above)
#   ./install.sh --uninstall       # remove what an install put there (user data is kept)
#
# The app needs no Python. OCR of scanned pages needs Tesseract from the system:
#   sudo apt-get install -y tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd
set -eu

here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" = 0 ]; then
    prefix=/opt/westfall-legal
    bindir=/usr/local/bin
    share=/usr/share
else
    prefix="$HOME/.local/opt/westfall-legal"
    bindir="$HOME/.local/bin"
    share="${XDG_DATA_HOME:-$HOME/.local/share}"
fi
action=install
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix=$2; shift 2 ;;
        --prefix=*) prefix=${1#--prefix=}; shift ;;
        --uninstall) action=uninstall; shift ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
apps="$share/applications"
icons="$share/icons/hicolor"

refresh_menus() {
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$apps" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$icons" || true
}

if [ "$action" = uninstall ]; then
    for link in "$bindir/westfall" "$bindir/westfall-gui"; do
        if [ -L "$link" ]; then rm -f "$link"; fi
    done
    rm -f "$apps/westfall-legal.desktop" "$icons/scalable/apps/westfall-legal.svg" \
        "$icons/256x256/apps/westfall-legal.png"
    if [ -x "$prefix/westfall" ] && [ -d "$prefix/_internal" ]; then rm -rf "$prefix"; fi
    refresh_menus
    echo "Westfall Legal removed from $prefix (the data folder ~/.local/share/westfall-legal is kept)."
    exit 0
fi

if [ ! -x "$here/westfall" ] || [ ! -d "$here/_internal" ]; then
    echo "install.sh: run me from the unpacked bundle (westfall and _internal/ beside me)." >&2
    exit 1
fi
if [ "$here" != "$prefix" ]; then
    if [ -e "$prefix" ] && { [ ! -x "$prefix/westfall" ] || [ ! -d "$prefix/_internal" ]; }; then
        echo "install.sh: $prefix exists and is not a Westfall Legal install; not touching it." >&2
        exit 1
    fi
    staging="$prefix.new.$$"
    mkdir -p "$(dirname "$prefix")"
    rm -rf "$staging"
    cp -a "$here" "$staging"   # -a keeps the bundle's symbolic links (PyInstaller uses them)
    rm -rf "$prefix"
    mv "$staging" "$prefix"
fi
mkdir -p "$bindir" "$apps" "$icons/scalable/apps"
ln -sfn "$prefix/westfall" "$bindir/westfall"
ln -sfn "$prefix/westfall-gui" "$bindir/westfall-gui"
sed -e "s|^Exec=westfall-gui|Exec=$prefix/westfall-gui|" \
    -e "s|^TryExec=westfall-gui|TryExec=$prefix/westfall-gui|" \
    "$prefix/share/westfall-legal.desktop" > "$apps/westfall-legal.desktop"
cp "$prefix/share/westfall-legal.svg" "$icons/scalable/apps/westfall-legal.svg"
if [ -f "$prefix/share/westfall-legal.png" ]; then
    mkdir -p "$icons/256x256/apps"
    cp "$prefix/share/westfall-legal.png" "$icons/256x256/apps/westfall-legal.png"
fi
refresh_menus

echo "Westfall Legal installed in $prefix"
echo "  commands: $bindir/westfall, $bindir/westfall-gui; menu entry: Office > Westfall Legal"
case ":$PATH:" in *":$bindir:"*) ;; *) echo "  note: $bindir is not on your PATH" ;; esac
if ! command -v tesseract >/dev/null 2>&1; then
    echo "  Tesseract OCR is not installed: scanned pages cannot be read until it is. Run:"
    echo "    sudo apt-get install -y tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd"
fi
