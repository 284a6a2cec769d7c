/** Git settings that make the output ours to parse, whatever the repository's config says. */
export const GIT_FLAGS = [
  "-c core.quotepath=off",
  "-c core.autocrlf=false",
  "-c core.safecrlf=false",
  "-c core.fileMode=true",
  "-c core.fsmonitor=false",
  "-c core.hooksPath=/dev/null",
  "-c diff.noprefix=false",
  "-c diff.mnemonicPrefix=false",
  "-c diff.relative=false",
  "-c color.ui=false",
].join(" ");

/**
 * Records the commit the tree starts from. A tree copied in without `.git` gets one: a commit
 * of everything as it arrived.
 */
export const BASELINE_SCRIPT = `set -e
export GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
if [ ! -e .git ]; then
  git ${GIT_FLAGS} init -q
  git ${GIT_FLAGS} add -A
  git ${GIT_FLAGS} -c user.name=fixfleet -c user.email=fixfleet@localhost -c commit.gpgsign=false commit -q --no-verify --allow-empty -m "fixfleet baseline"
fi
git rev-parse --verify HEAD`;

/**
 * The working tree against the base commit, through an index of our own in /tmp (the
 * repository's own index, and what the agent staged, stay untouched; kept between calls as a
 * stat cache). Prints raw+numstat records, a separator, then the binary-safe patch.
 * Arguments: base commit, separator.
 */
export const DIFF_SCRIPT = `set -e
export GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0 GIT_OPTIONAL_LOCKS=0
export GIT_INDEX_FILE=/tmp/.fixfleet-diff-index
[ -f "$GIT_INDEX_FILE" ] || git ${GIT_FLAGS} read-tree "$1"
git ${GIT_FLAGS} add -A
git ${GIT_FLAGS} diff --cached -z -M --raw --numstat --no-ext-diff --no-textconv "$1" --
printf '\\0%s\\0' "$2"
git ${GIT_FLAGS} diff --cached -M --binary --full-index --no-ext-diff --no-textconv "$1" --`;
