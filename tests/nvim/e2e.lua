-- End-to-end test of editors/nvim against the real server, inside Neovim.
--
-- Run by tests/e2e/editors/neovim.rs; by hand (from the repository root, after cargo build):
--   DOSSIER_BIN=target/debug/dossier DOSSIER_PLUGIN=editors/nvim \
--   DOSSIER_EXAMPLE=examples/china-russia \
--   nvim --headless --clean -c "luafile tests/nvim/e2e.lua"
--
-- Every expectation is computed from the example's text (rows, byte columns
-- converted to the client's position encoding), not hard-coded. Prints one
-- line per check; exits 0 when all pass, 1 otherwise.

local TIMEOUT_MS = 20000 -- any single wait
local GLOBAL_TIMEOUT_MS = 50000 -- the whole run (tests/e2e/editors/neovim.rs kills at 60 s)

local function out(fmt, ...)
  io.stdout:write(fmt:format(...), "\n")
  io.stdout:flush()
end

-- Nothing below may hang: a timer fires while vim.wait or a sync request waits.
local global_timer = vim.loop.new_timer()
global_timer:start(
  GLOBAL_TIMEOUT_MS,
  0,
  vim.schedule_wrap(function()
    out("FAIL global timeout: the run took over %d s", GLOBAL_TIMEOUT_MS / 1000)
    vim.cmd("cquit 1")
  end)
)

local failures = 0

local function check(what, expected, got)
  if vim.deep_equal(expected, got) then
    out("ok   %s", what)
  else
    failures = failures + 1
    out("FAIL %s\n  expected: %s\n  got:      %s", what, vim.inspect(expected), vim.inspect(got))
  end
end

-- Waits for `fn` to return a value; a timeout is fatal (later checks depend on it).
local function wait_for(what, fn)
  local value
  vim.wait(TIMEOUT_MS, function()
    value = fn()
    return value ~= nil and value ~= false
  end, 20)
  if value == nil or value == false then
    error(("timed out after %d s waiting for %s"):format(TIMEOUT_MS / 1000, what), 0)
  end
  return value
end

local function env(name)
  return os.getenv(name) or error("environment variable " .. name .. " is not set", 0)
end

local function abspath(path)
  return vim.loop.fs_realpath(vim.fn.fnamemodify(path, ":p")) or error("no such path: " .. path, 0)
end

-- Client queries that exist on every version from 0.7 (get_clients is 0.10+).
local function clients(bufnr)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr, name = "dossier" })
  end
  local found = {}
  local all = bufnr and vim.tbl_values(vim.lsp.buf_get_clients(bufnr)) or vim.lsp.get_active_clients()
  for _, client in ipairs(all) do
    if client.name == "dossier" then
      table.insert(found, client)
    end
  end
  return found
end

-- The column of byte offset `byte` in `line`, in `encoding` (LSP's unit).
local function enc_col(line, byte, encoding)
  if encoding == "utf-8" then
    return byte
  end
  if vim.fn.has("nvim-0.11") == 1 then
    return vim.str_utfindex(line, encoding, byte)
  end
  local utf32, utf16 = vim.str_utfindex(line, byte)
  return encoding == "utf-16" and utf16 or utf32
end

local function has_non_ascii(s)
  return s:find("[\128-\255]") ~= nil
end

-- The first mention of `token` (whole id: not followed by more id characters);
-- with `non_ascii_before`, only on a line where non-ASCII text precedes it.
-- Returns the row and the byte range [s, e), all 0-based.
local function find_mention(lines, token, non_ascii_before)
  for row, line in ipairs(lines) do
    local from = 1
    while true do
      local s, e = line:find(token, from, true)
      if not s then
        break
      end
      local after = line:sub(e + 1, e + 2)
      local whole = not after:match("^%w") and not after:match("^[-_.]%w")
      if whole and (not non_ascii_before or has_non_ascii(line:sub(1, s - 1))) then
        return row - 1, s - 1, e
      end
      from = e + 1
    end
  end
  error("no mention of " .. token .. " in the article", 0)
end

-- The row of the definition line `<token>: ...` in `lines`, and its display name.
local function find_definition(lines, token)
  for row, line in ipairs(lines) do
    if line:sub(1, #token + 2) == token .. ": " then
      return row - 1, line:sub(#token + 3)
    end
  end
  error("no definition of " .. token, 0)
end

-- Single-line claims `{text | metadata}` whose metadata cites no `^source`.
local function unsourced_claims(lines)
  local found = {}
  for row, line in ipairs(lines) do
    for s, body, e in line:gmatch("(){([^{}]*)}()") do
      local metadata = body:match("|([^|]*)$") or ""
      if not metadata:find("^", 1, true) then
        table.insert(found, { row = row - 1, s = s - 1, e = e - 1 })
      end
    end
  end
  return found
end

local function hover_text(result)
  if result == nil then
    return ""
  end
  local contents = result.contents
  if type(contents) == "string" then
    return contents
  end
  if contents.value then
    return contents.value
  end
  local parts = {}
  for _, part in ipairs(contents) do
    table.insert(parts, type(part) == "string" and part or part.value)
  end
  return table.concat(parts, "\n")
end

-- Locations (Location, Location[] or LocationLink[]) as { path, range }.
local function locations(result)
  if result == nil then
    return {}
  end
  if result.uri or result.targetUri then
    result = { result }
  end
  local found = {}
  for _, loc in ipairs(result) do
    table.insert(found, {
      path = vim.uri_to_fname(loc.uri or loc.targetUri),
      range = loc.range or loc.targetSelectionRange,
    })
  end
  return found
end

local function run()
  local bin = abspath(env("DOSSIER_BIN")) -- absolute: the run changes directory
  local example = abspath(env("DOSSIER_EXAMPLE"))
  local article_path = example .. "/diplomat-2014-06-02.md"
  local sources_path = example .. "/sources.md"
  local actors_path = example .. "/actors.md"

  vim.o.swapfile = false
  -- The plugin folder is a runtimepath entry, as the README tells users.
  vim.opt.runtimepath:prepend(abspath(env("DOSSIER_PLUGIN")))
  local v = vim.version()
  out("neovim %d.%d.%d, server %s", v.major, v.minor, v.patch, bin)

  -- Keep what the server publishes, in its own units, before Neovim converts it.
  local published = {}
  local publish = vim.lsp.handlers["textDocument/publishDiagnostics"]
  vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
    published[vim.uri_to_fname(result.uri)] = result.diagnostics
    return publish(err, result, ctx, config)
  end
  local notes = {}
  vim.notify = function(msg, level)
    out("     (notify) %s", msg)
    table.insert(notes, { msg = msg, level = level })
  end

  require("dossier").setup({ cmd = { bin, "lsp" } })

  -- The article: the client attaches with the workspace root.
  vim.cmd("edit " .. vim.fn.fnameescape(article_path))
  local bufnr = vim.api.nvim_get_current_buf()
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  check("the article's filetype", "markdown", vim.bo[bufnr].filetype)
  local client = wait_for("the client to attach", function()
    return clients(bufnr)[1]
  end)
  check("the client's root", example, client.config.root_dir)
  wait_for("the server to initialize", function()
    return client.initialized
  end)
  local enc = client.offset_encoding
  out("     position encoding: %s", enc)

  -- The deliberate unsourced claim, as the server sent it and as Neovim shows it.
  local claims = unsourced_claims(lines)
  check("one unsourced single-line claim in the article's text", 1, #claims)
  local claim, line = claims[1], lines[claims[1].row + 1]
  local function unsourced(diagnostics)
    return vim.tbl_filter(function(d)
      return d.code == "unsourced-claim"
    end, diagnostics or {})
  end
  local sent = wait_for("the unsourced-claim diagnostic", function()
    local found = unsourced(published[article_path])
    return #found > 0 and found
  end)
  check("unsourced-claim diagnostics published for the article", 1, #sent)
  check("the unsourced-claim diagnostic (LSP)", {
    code = "unsourced-claim",
    source = "dossier",
    severity = 2, -- Warning
    range = {
      start = { line = claim.row, character = enc_col(line, claim.s, enc) },
      ["end"] = { line = claim.row, character = enc_col(line, claim.e, enc) },
    },
  }, { code = sent[1].code, source = sent[1].source, severity = sent[1].severity, range = sent[1].range })
  local WARN = vim.diagnostic.severity.WARN
  local function placed(d)
    return { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, severity = d.severity }
  end
  check(
    "the unsourced-claim diagnostic in the buffer (byte columns)",
    { placed({ lnum = claim.row, col = claim.s, end_lnum = claim.row, end_col = claim.e, severity = WARN }) },
    vim.tbl_map(placed, unsourced(vim.diagnostic.get(bufnr)))
  )

  -- Requests at a buffer position, the way vim.lsp.buf.* builds them: cursor
  -- first, then the editor converts the position to the client's encoding.
  local function request(method, row, byte_col)
    vim.api.nvim_win_set_cursor(0, { row + 1, byte_col })
    local params = vim.lsp.util.make_position_params(0, enc)
    local replies, err = vim.lsp.buf_request_sync(bufnr, method, params, TIMEOUT_MS)
    local reply = replies and replies[client.id]
    if not reply then
      error(("%s at %d:%d got no reply: %s"):format(method, row, byte_col, tostring(err)), 0)
    end
    if reply.error then
      error(("%s at %d:%d failed: %s"):format(method, row, byte_col, vim.inspect(reply.error)), 0)
    end
    local pos = params.position
    return reply.result, ("%d:%d (bytes) = %d:%d (%s)"):format(row, byte_col, pos.line, pos.character, enc)
  end

  -- Hover on an actor mention, on its first and its last character: after
  -- non-ASCII text, a column counted in the wrong unit falls outside the token
  -- at one end or the other.
  local actor_lines = vim.fn.readfile(actors_path)
  local function check_hover(actor, non_ascii_before)
    local _, name = find_definition(actor_lines, actor)
    local row, s, e = find_mention(lines, actor, non_ascii_before)
    for _, byte_col in ipairs({ s, e - 1 }) do
      local result, at = request("textDocument/hover", row, byte_col)
      local text = hover_text(result)
      check(
        ("hover on %s at %s names %q"):format(actor, at, name),
        name,
        text:find(name, 1, true) and name or text
      )
    end
  end
  check_hover("@putin", false)
  check_hover("@china", true)

  -- Definition of a source citation: sources.md, the `^key` of its `^key:` line.
  local source_lines = vim.fn.readfile(sources_path)
  local function check_definition(key, non_ascii_before)
    local def_row = find_definition(source_lines, key)
    local def_line = source_lines[def_row + 1]
    local expected = {
      {
        path = sources_path,
        range = {
          start = { line = def_row, character = 0 },
          ["end"] = { line = def_row, character = enc_col(def_line, #key, enc) },
        },
      },
    }
    local row, s, e = find_mention(lines, key, non_ascii_before)
    for _, byte_col in ipairs({ s, e - 1 }) do
      local result, at = request("textDocument/definition", row, byte_col)
      check(("definition of %s at %s"):format(key, at), expected, locations(result))
    end
  end
  check_definition("^gazprom-2014-05-21", false)
  check_definition("^osw-2014-06-16", true)

  -- Root logic. Another note of the same workspace reuses the client.
  vim.cmd("edit " .. vim.fn.fnameescape(actors_path))
  local actors_client = wait_for("the client on actors.md", function()
    return clients(vim.api.nvim_get_current_buf())[1]
  end)
  check("actors.md reuses the article's client", client.id, actors_client.id)
  check("dossier clients running", 1, #clients())

  -- A note outside any dossier.toml folder gets no client by default. The
  -- attach decision is synchronous (FileType); the wait covers a late start.
  local scratch = vim.fn.tempname() -- under Neovim's own temp folder, removed on exit
  vim.fn.mkdir(scratch, "p")
  scratch = abspath(scratch)
  local outside_path = scratch .. "/outside.md"
  vim.fn.writefile({ "# Outside", "", "{A claim with no source}" }, outside_path)
  vim.cmd("edit " .. vim.fn.fnameescape(outside_path))
  local outside = vim.api.nvim_get_current_buf()
  vim.wait(300)
  check("no client on a note outside any workspace", 0, #clients(outside))

  -- With any_markdown, setup() attaches it (already loaded) with its folder as root.
  require("dossier").setup({ cmd = { bin, "lsp" }, any_markdown = true })
  local outside_client = wait_for("a client on the outside note", function()
    return clients(outside)[1]
  end)
  check("the outside note's root is its folder", scratch, outside_client.config.root_dir)
  check("dossier clients running", 2, #clients())
  local found = wait_for("a diagnostic on the outside note", function()
    local d = unsourced(published[outside_path])
    return #d > 0 and d
  end)
  check("the outside note's unsourced claim (row)", 2, found[1].range.start.line)

  -- A buffer with no name, root = cwd (here the scratch folder: same client).
  vim.cmd("cd " .. vim.fn.fnameescape(scratch))
  vim.cmd("enew")
  local unnamed = vim.api.nvim_get_current_buf()
  vim.api.nvim_buf_set_lines(unnamed, 0, -1, false, { "{An unnamed claim}" })
  vim.bo[unnamed].filetype = "markdown"
  local unnamed_client = wait_for("a client on the unnamed buffer", function()
    return clients(unnamed)[1]
  end)
  check("the unnamed buffer reuses the cwd's client", outside_client.id, unnamed_client.id)
  -- Neovim opens it as `file://`; the server must read it, not fall over.
  -- (Its diagnostics do not show: the server publishes them for `file:///`.)
  vim.api.nvim_win_set_cursor(0, { 1, 3 })
  local params = vim.lsp.util.make_position_params(0, unnamed_client.offset_encoding)
  local replies = vim.lsp.buf_request_sync(unnamed, "textDocument/hover", params, TIMEOUT_MS)
  local reply = replies and replies[unnamed_client.id] or {}
  check(
    "hover inside the unnamed buffer's claim shows its text",
    "An unnamed claim",
    hover_text(reply.result):match("An unnamed claim") or reply
  )
  check("the scratch client still runs after the unnamed buffer", false, outside_client:is_stopped())

  -- A missing executable: one clear error, not one per buffer.
  require("dossier").setup({ cmd = { "dossier-not-installed", "lsp" }, any_markdown = true })
  vim.cmd("edit " .. vim.fn.fnameescape(scratch .. "/another.md"))
  local errors = vim.tbl_filter(function(n)
    return n.level == vim.log.levels.ERROR and n.msg:find("dossier-not-installed", 1, true) ~= nil
  end, notes)
  check("errors about the missing executable", 1, #errors)
end

local ok, err = xpcall(run, debug.traceback)
if not ok then
  failures = failures + 1
  out("FAIL %s", err)
end
global_timer:stop()
if failures > 0 then
  out("%d check(s) failed", failures)
  vim.cmd("cquit 1")
end
out("all checks passed")
vim.cmd("qall!")
