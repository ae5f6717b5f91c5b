-- End-to-end test of editors/nvim against the real server, inside Neovim.
--
-- Run by tests/e2e/editors/neovim.rs; by hand (from the repository root, after cargo build):
--   DOSSIER_BIN=target/debug/dossier DOSSIER_PLUGIN=editors/nvim \
--   DOSSIER_EXAMPLE=examples/china-russia \
--   nvim --headless --clean -c "luafile tests/nvim/e2e.lua"
--
-- DOSSIER_E2E_SETUP says how the server is configured: `plugin` (the
-- default: require("dossier").setup, Neovim 0.7+) or `lsp-config` (Neovim
-- 0.11's own vim.lsp.config/vim.lsp.enable with editors/nvim/lsp/dossier.lua).
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

-- SPEC §7's features (semantic tokens, inlay hints, code lens): each check
-- runs where the Neovim has the client side (its version below); a server
-- that does not advertise the capability fails the run.
local function section7_server_required()
  return true
end

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

-- Every whole mention of `token` in `lines`, as { row, s, e } (0-based, byte
-- range [s, e)); a definition's `token:` at the start of a line is left out.
local function mentions_of(lines, token)
  local found = {}
  for row, line in ipairs(lines) do
    local from = 1
    while true do
      local s, e = line:find(token, from, true)
      if not s then
        break
      end
      local before = s > 1 and line:sub(s - 1, s - 1) or ""
      local after = line:sub(e + 1, e + 2)
      local whole = not before:match("[%w_.@\\]")
        and not after:match("^%w")
        and not after:match("^[-_.]%w")
      local definition = s == 1 and line:sub(e + 1, e + 1) == ":"
      if whole and not definition then
        table.insert(found, { row = row - 1, s = s - 1, e = e })
      end
      from = e + 1
    end
  end
  return found
end

-- The claims of a note, `{` to `}` (they may span lines, not a blank line),
-- as { first, last } byte offsets into `text` (1-based, inclusive). Enough of
-- SPEC §1.4 for the example, which has no claim in code.
local function claims_in(text)
  local found, open, i = {}, nil, 1
  while i <= #text do
    local c = text:sub(i, i)
    if c == "\\" then
      i = i + 1
    elseif open and c == "\n" and text:sub(i + 1):match("^[ \t]*\n") then
      open = nil
    elseif not open and c == "{" and not text:sub(i + 1, i + 1):match("[{%%#.:}]")
      and text:sub(i - 1, i - 1) ~= "{" then
      open = i
    elseif open and c == "}" then
      table.insert(found, { first = open, last = i })
      open = nil
    end
    i = i + 1
  end
  return found
end

-- The byte offset (1-based) of row `row` (0-based), column `col` in `lines`.
local function offset_of(lines, row, col)
  local offset = 1
  for r = 1, row do
    offset = offset + #lines[r] + 1
  end
  return offset + col
end

-- An inlay hint's label as shown: its parts joined, with the padding.
local function hint_label(hint)
  local label = hint.label
  if type(label) == "table" then
    local parts = {}
    for _, part in ipairs(label) do
      table.insert(parts, part.value)
    end
    label = table.concat(parts)
  end
  return (hint.paddingLeft and " " or "") .. label .. (hint.paddingRight and " " or "")
end

-- The `field: value` of the definition block of `token` in `lines`.
local function field_of(lines, token, field)
  local row = find_definition(lines, token) + 2
  while lines[row] and lines[row]:match("^%s") do
    local value = lines[row]:match("^%s+" .. field .. ":%s*(.-)%s*$")
    if value then
      return value
    end
    row = row + 1
  end
  error(("no %s: field in the definition of %s"):format(field, token), 0)
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

  local setup = os.getenv("DOSSIER_E2E_SETUP") or "plugin"
  out("     set-up: %s", setup)
  if setup == "lsp-config" then
    if vim.fn.has("nvim-0.11") ~= 1 then
      error("DOSSIER_E2E_SETUP=lsp-config needs Neovim 0.11 or later", 0)
    end
    -- Only the command is changed; the rest comes from editors/nvim/lsp/dossier.lua.
    vim.lsp.config("dossier", { cmd = { bin, "lsp" } })
    vim.lsp.enable("dossier")
  elseif setup == "plugin" then
    require("dossier").setup({ cmd = { bin, "lsp" } })
  else
    error("unknown DOSSIER_E2E_SETUP: " .. setup, 0)
  end

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
  local actors_buf = vim.api.nvim_get_current_buf()
  local article_text = table.concat(lines, "\n") .. "\n"

  -- The semantic tokens' colours: each type linked to a standard group (0.9+).
  if vim.fn.has("nvim-0.9") == 1 then
    local highlight = require("dossier.highlight")
    for name, group in pairs(highlight.links({ "markdown" })) do
      check(("%s links to %s"):format(name, group), group, vim.api.nvim_get_hl(0, { name = name }).link)
    end
    vim.cmd("colorscheme default")
    check("the links survive :colorscheme", "Identifier", vim.api.nvim_get_hl(0, { name = "@lsp.type.actor.markdown" }).link)
  else
    out("     not checked here: semantic token colours (Neovim 0.9+)")
  end

  -- The code lens command, as Neovim runs a lens: the client's own command
  -- first, then the global registry. On @putin's definition it lists every
  -- mention in the workspace, the definition left out.
  local putin_row = find_definition(actor_lines, "@putin")
  local actors_uri = vim.uri_from_fname(actors_path)
  local expected_refs = {}
  for _, m in ipairs(mentions_of(lines, "@putin")) do
    table.insert(expected_refs, { path = article_path, lnum = m.row + 1, col = m.s + 1 })
  end
  for _, m in ipairs(mentions_of(actor_lines, "@putin")) do
    table.insert(expected_refs, { path = actors_path, lnum = m.row + 1, col = m.s + 1 })
  end
  local function by_place(a, b)
    return a.path < b.path or (a.path == b.path and (a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)))
  end
  table.sort(expected_refs, by_place)
  local function quickfix()
    local list = vim.fn.getqflist({ title = 1, items = 1 })
    local items = {}
    for _, item in ipairs(list.items) do
      table.insert(items, { path = abspath(vim.api.nvim_buf_get_name(item.bufnr)), lnum = item.lnum, col = item.col })
    end
    table.sort(items, by_place)
    return list.title, items
  end
  local function expect_references(what, run_it)
    vim.fn.setqflist({}, "f")
    run_it()
    wait_for("the references in the quickfix list (" .. what .. ")", function()
      return #vim.fn.getqflist() > 0
    end)
    local title, items = quickfix()
    check(what .. ": the quickfix list's title", "References", title)
    check(what .. ": the references of @putin, without its definition", expected_refs, items)
    vim.cmd("cclose")
  end
  local command = { title = "references", command = "dossier.showReferences",
    arguments = { actors_uri, { line = putin_row, character = 0 } } }
  local handler = (client.commands or {})[command.command] or vim.lsp.commands[command.command]
  check("a client-side handler for dossier.showReferences", "function", type(handler))
  if setup == "lsp-config" then
    check("lsp/dossier.lua gives the client its command", "function", type((client.commands or {})[command.command]))
  end
  expect_references("dossier.showReferences", function()
    handler(command, { bufnr = actors_buf, client_id = client.id })
  end)

  -- SPEC §7 through the server: semantic tokens, inlay hints, code lens.
  local caps = client.server_capabilities or {}
  local function section7(what, capability, needs, body)
    if vim.fn.has(needs) ~= 1 then
      out("     not checked here: %s (%s or later)", what, needs)
    elseif caps[capability] then
      body()
    elseif section7_server_required() then
      failures = failures + 1
      out("FAIL %s: the server does not advertise %s", what, capability)
    else
      out("PENDING %s: the server does not advertise %s yet (section7_server_required() is false)", what, capability)
    end
  end

  section7("semantic tokens", "semanticTokensProvider", "nvim-0.10", function()
    -- The token that starts at row:col (the one ending there touches it too).
    local function token_at(buf, row, col)
      return wait_for(("a semantic token at %d:%d"):format(row, col), function()
        for _, token in ipairs(vim.lsp.semantic_tokens.get_at_pos(buf, row, col) or {}) do
          if token.line == row and token.start_col == col then
            return token
          end
        end
      end)
    end
    local function check_token(what, buf, row, s, e, type, modifiers)
      local token = token_at(buf, row, s)
      local mods = {}
      for name, on in pairs(token.modifiers or {}) do
        if on then table.insert(mods, name) end
      end
      table.sort(mods)
      check("semantic token: " .. what,
        { line = row, start_col = s, end_col = e, type = type, modifiers = modifiers },
        { line = token.line, start_col = token.start_col, end_col = token.end_col, type = token.type, modifiers = mods })
    end
    -- After ’ on its line: a column in the wrong unit would miss it.
    local row, s, e = find_mention(lines, "@china", true)
    vim.cmd("buffer " .. bufnr)
    check_token("@china after non-ASCII text", bufnr, row, s, e, "actor", {})
    local groups = {}
    for _, t in ipairs(vim.inspect_pos(bufnr, row, s).semantic_tokens) do
      table.insert(groups, t.opts.hl_group)
    end
    check("@china is drawn with @lsp.type.actor.markdown", true, vim.tbl_contains(groups, "@lsp.type.actor.markdown"))
    local claim = unsourced_claims(lines)[1]
    check_token("the unsourced claim's {", bufnr, claim.row, claim.s, claim.s + 1, "claim", { "unsourced" })
    local est_row, est_s = find_mention(lines, "est:unlikely", false)
    check_token("est: as a metadata key", bufnr, est_row, est_s, est_s + 4, "metadataKey", {})
    check_token("unlikely as a metadata value", bufnr, est_row, est_s + 4, est_s + #"est:unlikely", "metadataValue", {})
    vim.cmd("buffer " .. actors_buf)
    check_token("@putin's definition", actors_buf, putin_row, 0, #"@putin", "actor", { "declaration" })
    check_token("a field key", actors_buf, putin_row + 1, 2, #"  kind:", "fieldKey", {})
  end)

  section7("inlay hints", "inlayHintProvider", "nvim-0.10", function()
    vim.cmd("buffer " .. bufnr)
    vim.lsp.inlay_hint.enable(true, { bufnr = bufnr })
    -- The grade after a cited key with a locator, the range after an estimate,
    -- both on the forecast's metadata line.
    local est_row, est_s = find_mention(lines, "est:unlikely", false)
    local line = lines[est_row + 1]
    local key = "^diplomat-2014-06-02"
    local key_at = line:find(key .. "(", 1, true) or error("no " .. key .. "(…) on the forecast's line", 0)
    local _, locator_end = line:find("%b()", key_at + #key)
    local grade = field_of(vim.fn.readfile(sources_path), key, "reliability")
    local expected = {
      { line = est_row, character = enc_col(line, est_s + #"est:unlikely", enc), label = " 20–45%" },
      { line = est_row, character = enc_col(line, locator_end, enc), label = " " .. grade },
    }
    local hints = wait_for("inlay hints on the forecast's line", function()
      local found = {}
      for _, item in ipairs(vim.lsp.inlay_hint.get({ bufnr = bufnr })) do
        local hint = item.inlay_hint
        if hint.position.line == est_row then
          table.insert(found, { line = hint.position.line, character = hint.position.character, label = hint_label(hint) })
        end
      end
      table.sort(found, function(a, b) return a.character < b.character end)
      return #found > 0 and found
    end)
    table.sort(expected, function(a, b) return a.character < b.character end)
    check("inlay hints on the forecast's metadata line", expected, hints)
  end)

  section7("code lens", "codeLensProvider", "nvim-0.10", function()
    vim.cmd("buffer " .. actors_buf)
    -- @putin: its mentions, and the claims among them (text, metadata or by:).
    local in_claims = 0
    for _, c in ipairs(claims_in(article_text)) do
      for _, m in ipairs(mentions_of(lines, "@putin")) do
        local at = offset_of(lines, m.row, m.s)
        if at > c.first and at < c.last then
          in_claims = in_claims + 1
          break
        end
      end
    end
    local n = #expected_refs
    local title = ("%d mention%s · %d claim%s"):format(n, n == 1 and "" or "s", in_claims, in_claims == 1 and "" or "s")
    vim.lsp.codelens.refresh({ bufnr = actors_buf })
    local lens = wait_for("the code lens on @putin's definition", function()
      for _, l in ipairs(vim.lsp.codelens.get(actors_buf)) do
        if l.range.start.line == putin_row and l.command then
          return l
        end
      end
    end)
    check("the code lens on @putin's definition", {
      range = { start = { line = putin_row, character = 0 }, ["end"] = { line = putin_row, character = #"@putin" } },
      title = title,
      command = "dossier.showReferences",
      arguments = { actors_uri, { line = putin_row, character = 0 } },
    }, { range = lens.range, title = lens.command.title, command = lens.command.command, arguments = lens.command.arguments })
    vim.api.nvim_win_set_cursor(0, { putin_row + 1, 0 })
    expect_references("the lens run with vim.lsp.codelens.run()", function()
      vim.lsp.codelens.run()
    end)
  end)

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
  if setup ~= "plugin" then
    return -- the rest is the plugin's own options
  end

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

  -- Fix all, picked from the menu at the cursor as an analyst picks it: the
  -- server lists it without its edit, since Neovim resolves code actions,
  -- and Neovim asks for the edit (`codeAction/resolve`) once it is picked.
  local misspelt = "’ — Кремль 中俄 😀 {A claim | conf:hgh kind:asessment}"
  vim.api.nvim_buf_set_lines(outside, 2, 3, false, { misspelt })
  wait_for("the misspelt values reported", function()
    local d = vim.tbl_filter(function(x)
      return x.code == "invalid-metadata"
    end, published[outside_path] or {})
    return #d == 2 and d
  end)
  vim.api.nvim_win_set_cursor(0, { 3, #"’ — Кремль 中俄 😀 {A" })
  local select, listed = vim.ui.select, nil
  vim.ui.select = function(items, _, on_choice)
    for _, item in ipairs(items) do
      local action = item.action or item[2] -- {action=, ctx=} from 0.10, {client_id, action} before
      if action.kind == "source.fixAll.dossier" then
        listed = vim.deepcopy(action)
        return on_choice(item)
      end
    end
    on_choice(nil)
  end
  vim.lsp.buf.code_action()
  local fixed = wait_for("the fix-all applied", function()
    local line = vim.api.nvim_buf_get_lines(outside, 2, 3, false)[1]
    return line ~= misspelt and line
  end)
  vim.ui.select = select
  check("fix all from the menu: the note after", "’ — Кремль 中俄 😀 {A claim | conf:high kind:assessment}", fixed)
  check("fix all from the menu: listed with its title and no edit", { "Fix all safe Dossier findings (2)", true },
    { listed and listed.title, listed ~= nil and listed.edit == nil })

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
