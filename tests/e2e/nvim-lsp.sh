#!/usr/bin/env bash
# End-to-end: Neovim's built-in LSP client talks to `unblame lsp`.
#
# Installs Debian's neovim when it is missing, starts `target/debug/unblame lsp` for
# Markdown buffers, opens a postmortem with an emoji before "should have", waits for
# the diagnostics, then edits the buffer (an incremental change), waits for the moved
# diagnostic, applies the quick fix through the client's own apply_workspace_edit, and
# writes what it saw to a file that this script checks.
#
# Debian 12 ships Neovim 0.7.2, which predates vim.lsp.start (0.8): the init file uses
# vim.lsp.start when it exists and vim.lsp.start_client + buf_attach_client otherwise.
# Below 0.7 (no vim.diagnostic) the test is skipped with a message.
#
# Env: UNBLAME_BIN (default target/debug/unblame, built when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=${UNBLAME_BIN:-$ROOT/target/debug/unblame}

if ! command -v nvim >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's neovim"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim >/dev/null 2>&1 ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim >/dev/null; }
  else
    echo "SKIP nvim-lsp: nvim is not installed and apt-get is not available as root"
    exit 0
  fi
fi
version=$(nvim --version | head -1 | sed -n 's/^NVIM v\([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
read -r major minor <<<"${version:-0 0}"
if [ "$major" -eq 0 ] && [ "$minor" -lt 7 ]; then
  echo "SKIP nvim-lsp: $(nvim --version | head -1) is older than 0.7 (no vim.diagnostic)"
  exit 0
fi
echo "using $(nvim --version | head -1)"

if [ ! -x "$BIN" ]; then
  cargo build -q -p unblame-cli
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat >"$work/postmortem.md" <<'MD'
# Checkout outage 🔥

## Summary

🔥 The on-call engineer should have checked the dashboard before the deploy.
A careless edit to nginx.conf took the site down.
MD

cat >"$work/init.lua" <<'LUA'
vim.cmd('filetype on')
vim.o.swapfile = false
local config = {
  name = 'unblame',
  cmd = { os.getenv('UNBLAME_BIN'), 'lsp' },
  root_dir = os.getenv('UNBLAME_WORK'),
}
vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'markdown', 'text' },
  callback = function(args)
    if vim.lsp.start then
      vim.lsp.start(config, { bufnr = args.buf })
    else
      local id = vim.lsp.start_client(config)
      vim.lsp.buf_attach_client(args.buf, id)
    end
  end,
})
LUA

cat >"$work/run.lua" <<'LUA'
local out = {}
local function log(s) table.insert(out, s) end
local function finish(code)
  vim.fn.writefile(out, os.getenv('UNBLAME_OUT'))
  vim.cmd(code == 0 and 'qa!' or 'cquit ' .. code)
end
local buf = vim.api.nvim_get_current_buf()
local function code_of(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or '?'
end
local function find(rule)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if code_of(d) == rule then return d end
  end
end
local ok = vim.wait(20000, function() return find('counterfactual/should-have') ~= nil end, 50)
if not ok then
  log('TIMEOUT waiting for diagnostics')
  return finish(1)
end
log('filetype ' .. vim.bo[buf].filetype)
for _, d in ipairs(vim.diagnostic.get(buf)) do
  log(string.format('diag %d:%d %s', d.lnum, d.col, code_of(d)))
end
-- Byte column of "should" on line 4 (0-based), as Neovim converted it from UTF-16.
local first = find('counterfactual/should-have').col
log('should-have col ' .. first)

-- An incremental change: insert an emoji and a space at the start of that line.
vim.api.nvim_buf_set_text(buf, 4, 0, 4, 0, { '😀 ' })
ok = vim.wait(20000, function()
  local d = find('counterfactual/should-have')
  return d ~= nil and d.col ~= first
end, 50)
log('should-have col after edit ' .. (find('counterfactual/should-have') or { col = -1 }).col)

-- The quick fix, requested and applied through the client.
local client = vim.lsp.get_active_clients()[1]
local d = find('counterfactual/should-have')
local params = {
  textDocument = vim.lsp.util.make_text_document_params(buf),
  -- The whole line of the diagnostic.
  range = { start = { line = d.lnum, character = 0 }, ['end'] = { line = d.lnum + 1, character = 0 } },
  context = { diagnostics = {}, only = { 'quickfix' } },
}
local responses, err = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 10000)
if err then log('codeAction request failed: ' .. tostring(err)) end
responses = responses or {}
local applied = false
for _, r in pairs(responses) do
  if r.err then log('codeAction error ' .. vim.inspect(r.err)) end
  for _, action in ipairs(r.result or {}) do
    log('action ' .. action.title)
    if not applied and action.edit and action.title:find('did not check') then
      vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
      applied = true
    end
  end
end
log('applied ' .. tostring(applied))
log('line ' .. vim.api.nvim_buf_get_lines(buf, 4, 5, false)[1])
finish(0)
LUA

status=0
UNBLAME_BIN="$BIN" UNBLAME_WORK="$work" UNBLAME_OUT="$work/out.txt" \
  timeout 120 nvim --headless -n -i NONE -u "$work/init.lua" "$work/postmortem.md" \
  -c "luafile $work/run.lua" </dev/null >"$work/nvim.log" 2>&1 || status=$?
echo "--- what Neovim saw"
cat "$work/out.txt" 2>/dev/null || true
if [ "$status" -ne 0 ]; then
  echo "--- nvim log"; cat "$work/nvim.log"
  echo "FAIL nvim-lsp: nvim exited with $status"
  exit 1
fi

fail=0
expect() {
  if ! grep -qF -- "$1" "$work/out.txt"; then
    echo "FAIL nvim-lsp: expected '$1'"
    fail=1
  fi
}
expect 'filetype markdown'
expect 'counterfactual/should-have'
expect 'judgment/careless'
# "🔥 The on-call engineer " is 4 + 22 bytes; Neovim gets 2 + 22 UTF-16 units and
# turns them back into bytes.
expect 'should-have col 26'
# After inserting "😀 " (5 bytes) at the start of the line.
expect 'should-have col after edit 31'
expect 'applied true'
expect 'line 😀 🔥 The on-call engineer did not check the dashboard before the deploy.'
if [ "$fail" -ne 0 ]; then
  echo "--- nvim log"; cat "$work/nvim.log"
  exit 1
fi
echo "PASS nvim-lsp"
