#!/usr/bin/env bash
# Consumer test: the packages as a new user meets them. Packs LmacTd.Runtime, LmacTd.Models.Default and the tool
# lmactd into a temporary local feed, then follows the README's "Install" section line for line in a temporary
# folder: a brand-new console app with the README's Program.cs, run on the bundled example; then the tool, installed
# with `dotnet tool install --global` into a temporary home and run from an empty folder. The snippet's predicted
# label must match the tool's for the same clip. Every command of the Install section that this script runs is
# checked to stand verbatim in README.md, so the README cannot drift from what is tested.
# Needs the .NET 10 SDK and NuGet (for packages not yet in the local cache); leaves nothing behind.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# No build servers outlive the test (MSBuild nodes, the compiler server): they would keep the temp folder's files.
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 UseSharedCompilation=false

say() { echo "consumer: $*" >&2; }
fail() { echo "consumer: FAILED: $*" >&2; exit 1; }

# Where the packages already restored on this machine live: the consumer reads them from there (no download),
# while its own package cache starts empty, so a stale LmacTd 0.2.0 from an earlier run can never stand in for
# the packages packed now.
machine_cache=$(dotnet nuget locals global-packages -l | sed -n 's/^global-packages: //p')
work=$(mktemp -d "${TMPDIR:-/tmp}/lmactd-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
feed=$work/feed
export NUGET_PACKAGES=$work/nuget-packages
# `dotnet tool install --global` installs under $DOTNET_CLI_HOME/.dotnet/tools: a temporary home, not the user's.
export DOTNET_CLI_HOME=$work/home
mkdir -p "$feed" "$NUGET_PACKAGES" "$DOTNET_CLI_HOME"

say "packing into $feed"
for project in src/LmacTd.Runtime src/LmacTd.Models.Default src/LmacTd.Cli; do
    dotnet pack "$repo/$project" -c Release -o "$feed" -v q -nologo -p:ContinuousIntegrationBuild=true >"$work/pack.log" 2>&1 ||
        { cat "$work/pack.log" >&2; fail "dotnet pack $project"; }
done
for f in "$feed"/*.nupkg "$feed"/*.snupkg; do say "$(basename "$f"): $(du -k "$f" | cut -f1) KiB"; done

# The feed as a user would add it: our three packages from the local feed only, everything else from nuget.org,
# found first among the packages this machine has already restored.
cat >"$work/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local">
      <package pattern="LmacTd.*" />
      <package pattern="lmactd" />
    </packageSource>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
  <fallbackPackageFolders>
    <add key="machine" value="$machine_cache" />
  </fallbackPackageFolders>
</configuration>
EOF

# The README's Install section, and a runner that refuses any command not written there verbatim.
install_section=$(awk '/^## Install$/ { on = 1; next } /^## / { on = 0 } on' "$repo/README.md")
[[ -n "$install_section" ]] || fail "README.md has no '## Install' section"
step() {
    grep -qxF -- "$*" <<<"$install_section" || fail "not a line of the README's Install section: $*"
    say "\$ $*"
    "$@"
}

cd "$work"
step dotnet new console -o MyApp >/dev/null
step cd MyApp
step dotnet add package LmacTd.Runtime >/dev/null
step dotnet add package LmacTd.Models.Default >/dev/null
step dotnet add package Microsoft.ML.OnnxRuntime --version 1.31.0 >/dev/null
# "Replace Program.cs with": the section's C# block.
awk '/^```csharp$/ { on = 1; next } /^```$/ { on = 0 } on' <<<"$install_section" >Program.cs
[[ -s Program.cs ]] || fail "README.md's Install section has no C# block"
step dotnet run | tee "$work/app.out"
snippet_label=$(sed -n 's/^\([^ ]*\) ([0-9.,]* *%) on [a-z]*$/\1/p' "$work/app.out")
[[ -n "$snippet_label" ]] || fail "the snippet printed no 'LABEL (P %) on DEVICE' line"
[[ -s explanation.wav && -s masked-out.wav ]] || fail "the snippet wrote no explanation.wav / masked-out.wav"

mkdir "$work/empty"
cp "$repo/models/default/examples/speech_over_piano.wav" "$work/empty/"
cd "$work/empty"
step dotnet tool install --global lmactd
export PATH="$DOTNET_CLI_HOME/.dotnet/tools:$PATH"
step lmactd explain speech_over_piano.wav
for out in speech_over_piano.explanation.wav speech_over_piano.masked-out.wav speech_over_piano.json; do
    [[ -s $out ]] || fail "lmactd explain wrote no $out"
done
tool_label=$(sed -n 's/^ *"predicted": "\([^"]*\)".*/\1/p' speech_over_piano.json | head -n 1)
[[ "$tool_label" == "$snippet_label" ]] || fail "the snippet says '$snippet_label', lmactd explain says '$tool_label'"

# Beyond the README: an app that forgot the native package is told which one to add (the README says it is).
cd "$work/MyApp"
dotnet remove package Microsoft.ML.OnnxRuntime >/dev/null
rm -rf bin obj
if dotnet run >"$work/nonative.out" 2>&1; then fail "the snippet ran without a native ONNX Runtime package"; fi
grep -q "InferenceException: the native ONNX Runtime library could not be loaded (add one native ONNX Runtime NuGet package" "$work/nonative.out" ||
    { cat "$work/nonative.out" >&2; fail "without Microsoft.ML.OnnxRuntime the error does not name the native packages"; }
say "ok: without a native package: $(grep -m 1 -o "InferenceException: .*" "$work/nonative.out" | cut -c 1-240)"
say "ok: the README's snippet and lmactd explain both say '$snippet_label' for speech_over_piano.wav"
