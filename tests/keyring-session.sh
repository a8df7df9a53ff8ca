#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a command in a private D-Bus session with a real, unlocked
# gnome-keyring and a throwaway home, so that tests never touch the
# user's keyring or settings, and nothing of one test is seen by another.
#
#   keyring-session.sh [--no-keyring] [--file-backend] [--hung-prompter]
#                      [--keyfile-settings] [--locking] [--display]
#                      [--wayland] [--keep-home DIR] -- CMD [ARGS…]
#
#   --no-keyring        no Secret Service at all: the session bus has no
#                       service files, so nothing can be auto-started
#   --file-backend      as --no-keyring, and libsecret keeps secrets in its
#                       file backend, as it does inside the Flatpak:
#                       SECRET_BACKEND=file, the file where the sandbox has
#                       it (XDG_DATA_HOME/keyrings/default.keyring), and a
#                       password of this session's standing in for the one
#                       the Secret portal gives the app
#   --hung-prompter     a keyring prompt (to unlock a locked collection) is
#                       never answered; by default it is dismissed at once,
#                       so no test ever waits for a window on the display
#   --keyfile-settings  GSETTINGS_BACKEND=keyfile, stored under the home, so
#                       settings persist across processes like in real use
#   --locking           CMD locks the collection and has it unlocked: under
#                       LeakSanitizer, libsecret's leak in doing so is
#                       suppressed too (lsan-libsecret-locking.supp)
#   --display           a display of CMD's own, so that no other test's
#                       window, clipboard or accessibility bus is on it: an X
#                       server (Xvfb), or with BGPT_TEST_DISPLAY=wayland a
#                       Wayland compositor (Weston, headless) instead
#   --wayland           a Weston of CMD's own beside the Xvfb: GTK prefers
#                       it to DISPLAY unless GDK_BACKEND says otherwise
#   --keep-home DIR     use DIR as the home and keep it afterwards (to scan
#                       it, or to share one keyring between several runs)
#
# CMD sees HOME, XDG_RUNTIME_DIR and XDG_{DATA,CONFIG,STATE,CACHE}_HOME in the
# throwaway tree, and BGPT_TEST_HOME set to the home. Exits with CMD's status.
set -eu

usage() {
  echo "usage: $0 [--no-keyring] [--file-backend] [--hung-prompter] [--keyfile-settings] [--locking] [--display] [--wayland] [--keep-home DIR] -- CMD [ARGS…]" >&2
  exit 99
}

keyring=yes
file_backend=no
prompter=dismiss
keyfile=no
locking=no
display=no
wayland=no
keep_home=
while [ $# -gt 0 ]; do
  case $1 in
    --no-keyring) keyring=no; shift ;;
    --file-backend) keyring=no; file_backend=yes; shift ;;
    --hung-prompter) prompter=hang; shift ;;
    --keyfile-settings) keyfile=yes; shift ;;
    --locking) locking=yes; shift ;;
    --display)
      if [ "${BGPT_TEST_DISPLAY:-x11}" = wayland ]; then
        wayland=yes
      else
        display=yes
      fi
      shift ;;
    --wayland) wayland=yes; shift ;;
    --keep-home) [ $# -ge 2 ] || usage; keep_home=$2; shift 2 ;;
    --keep-home=*) keep_home=${1#--keep-home=}; shift ;;
    --) shift; break ;;
    *) usage ;;
  esac
done
[ $# -gt 0 ] || usage

base=$(mktemp -d "${TMPDIR:-/tmp}/bgpt-session.XXXXXX")
cleanup() {
  if [ -f "$base/prompters" ]; then
    kill $(cat "$base/prompters") 2>/dev/null || true
  fi
  for pid in ${xvfb_pid:-} ${weston_pid:-}; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$base"
}
trap cleanup EXIT HUP INT TERM

if [ -n "$keep_home" ]; then
  mkdir -p "$keep_home"
  HOME=$(cd "$keep_home" && pwd)
else
  HOME=$base/home
  mkdir -p "$HOME"
fi
XDG_RUNTIME_DIR=$base/runtime
mkdir -m 700 "$XDG_RUNTIME_DIR"

export HOME XDG_RUNTIME_DIR
export XDG_DATA_HOME="$HOME/.local/share"
export XDG_CONFIG_HOME="$HOME/.config"
export XDG_STATE_HOME="$HOME/.local/state"
export XDG_CACHE_HOME="$HOME/.cache"
export BGPT_TEST_HOME="$HOME"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
unset SECRET_BACKEND SECRET_FILE_TEST_PATH SECRET_FILE_TEST_PASSWORD
if [ "$file_backend" = yes ]; then
  # libsecret ≥ 0.20 reads these (libsecret/secret-file-backend.c).
  export SECRET_BACKEND=file
  export SECRET_FILE_TEST_PATH="$XDG_DATA_HOME/keyrings/default.keyring"
  SECRET_FILE_TEST_PASSWORD=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  export SECRET_FILE_TEST_PASSWORD
  # Under AddressSanitizer, no leak checks in this session: libsecret
  # 0.20.5's file backend is made anew and never freed on every call, and
  # what it holds leaks from inside GIO's async initialisation with no frame
  # of ours or a named one of libsecret's to suppress by (both stripped).
  # Every other check of the sanitizers stays on.
  case "${ASAN_OPTIONS:-}" in
    *detect_leaks=1*) ASAN_OPTIONS=$(printf '%s' "$ASAN_OPTIONS" | sed 's/detect_leaks=1/detect_leaks=0/'); export ASAN_OPTIONS ;;
  esac
fi
if [ "$keyfile" = yes ]; then
  export GSETTINGS_BACKEND=keyfile
fi

unset DISPLAY WAYLAND_DISPLAY XAUTHORITY
if [ "$display" = yes ]; then
  # Xvfb picks a free display number and writes it to the pipe once it
  # accepts clients: the read waits for exactly that, however slow the
  # machine is, and gives nothing if the server dies first.
  mkfifo "$base/display"
  Xvfb -displayfd 5 -screen 0 1280x1024x24 -nolisten tcp -noreset \
    5>"$base/display" </dev/null >/dev/null 2>"$base/xvfb.log" &
  xvfb_pid=$!
  read -r number <"$base/display" || number=
  if [ -z "$number" ]; then
    echo "keyring-session.sh: Xvfb did not start:" >&2
    cat "$base/xvfb.log" >&2
    exit 99
  fi
  export DISPLAY=":$number"
fi
if [ "$wayland" = yes ]; then
  # Weston answers a client only once its event loop runs, after its shell
  # is loaded: a client may connect as soon as the socket is there. The
  # wait is bounded only for a compositor that died.
  weston --backend=headless-backend.so --socket=wayland-bgpt --width=1280 --height=1024 \
    --idle-time=0 --no-config </dev/null >"$base/weston.log" 2>&1 &
  weston_pid=$!
  tries=0
  while [ ! -S "$XDG_RUNTIME_DIR/wayland-bgpt" ]; do
    tries=$((tries + 1))
    if [ "$tries" -gt 600 ] || ! kill -0 "$weston_pid" 2>/dev/null; then
      echo "keyring-session.sh: Weston did not start:" >&2
      cat "$base/weston.log" >&2
      exit 99
    fi
    sleep 0.1
  done
  export WAYLAND_DISPLAY=wayland-bgpt
fi

# Under LeakSanitizer, libsecret's own leaks are suppressed in this session
# only (lsan-keyring.supp says which and why).
case "${LSAN_OPTIONS:-}" in
  *suppressions=*)
    suppressions=$(printf '%s\n' "$LSAN_OPTIONS" | tr ':' '\n' | sed -n 's/^suppressions=//p')
    cat "$suppressions" "$(dirname "$0")/lsan-keyring.supp" >"$base/lsan.supp"
    if [ "$locking" = yes ]; then
      cat "$(dirname "$0")/lsan-libsecret-locking.supp" >>"$base/lsan.supp"
    fi
    LSAN_OPTIONS=$(printf '%s' "$LSAN_OPTIONS" | sed "s|suppressions=[^:]*|suppressions=$base/lsan.supp|")
    export LSAN_OPTIONS
    ;;
esac

# A session bus of our own: the services it may start are listed here
# first, then the system's.
write_session_conf() {
  cat >"$base/session.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=$base</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
  $1
</busconfig>
EOF
}

# Services the bus starts (the accessibility bus and its registry, which says
# "SpiRegistry daemon is running…") inherit the bus daemon's stdout. Only
# CMD's output belongs on ours (a test's TAP), so the session runs with its
# stdout on stderr and CMD gets the original back from fd 3.
exec 3>&1

status=0
if [ "$keyring" = yes ]; then
  # gnome-keyring asks gcr-prompter for passwords. Ours either fails at once
  # (the prompt counts as dismissed) or never comes up (nobody answers).
  mkdir "$base/services"
  if [ "$prompter" = hang ]; then
    # It records its pid so that it does not outlive the session.
    printf 'echo $$ >>"%s/prompters"\nexec sleep 60 </dev/null >/dev/null 2>&1\n' "$base" \
      >"$base/hung-prompter.sh"
    prompter_exec="/bin/sh $base/hung-prompter.sh"
  else
    prompter_exec=/bin/false
  fi
  for name in org.gnome.keyring.SystemPrompter org.gnome.keyring.PrivatePrompter; do
    printf '[D-BUS Service]\nName=%s\nExec=%s\n' "$name" "$prompter_exec" \
      >"$base/services/$name.service"
  done
  write_session_conf "<servicedir>$base/services</servicedir>
  <standard_session_servicedirs/>"

  # The recipe of docs/testing.md. The daemon forks before it owns its bus
  # name, so wait for the name (an event, with a bound only for a daemon
  # that died) instead of racing it.
  dbus-run-session --config-file="$base/session.conf" -- sh -c '
    eval "$(printf test | gnome-keyring-daemon --unlock --components=secrets 3>&-)"
    if ! gdbus wait --session --timeout 120 org.freedesktop.secrets; then
      echo "keyring-session.sh: gnome-keyring did not come up" >&2
      exit 99
    fi
    exec "$@" >&3 3>&-' sh "$@" >&2 || status=$?
else
  # The system session config lists /usr/share/dbus-1/services, from where
  # gnome-keyring would be auto-started. This one lists no service at all.
  write_session_conf ""
  dbus-run-session --config-file="$base/session.conf" -- \
    sh -c 'exec "$@" >&3 3>&-' sh "$@" >&2 || status=$?
fi

exit $status
