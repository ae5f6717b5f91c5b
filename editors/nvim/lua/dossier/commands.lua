-- The client-side commands the server's code lenses carry (SPEC §7).
--
-- `dossier.showReferences` with arguments `[uri, position]` (position: the
-- id's first character, in the client's position encoding) asks the server
-- for the id's references, its definition left out, and opens them in the
-- quickfix list, as `vim.lsp.buf.references()` does. Works on 0.7 and later.

local M = {}

M.SHOW_REFERENCES = "dossier.showReferences"

local function notify(msg, level)
  vim.notify("dossier: " .. msg, level or vim.log.levels.ERROR)
end

-- `client:request` on 0.11+, where the `client.request` form is deprecated.
local function request(client, method, params, handler, bufnr)
  if vim.fn.has("nvim-0.11") == 1 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

-- A handler for vim.lsp.commands and a client's `commands`: (command, ctx).
function M.show_references(command, ctx)
  local args = command.arguments or {}
  local uri, position = args[1], args[2]
  if type(uri) ~= "string" or type(position) ~= "table" or position.line == nil or position.character == nil then
    notify(("%s expects the arguments [uri, position], got %s"):format(M.SHOW_REFERENCES, vim.inspect(args)))
    return
  end
  local client = ctx and ctx.client_id and vim.lsp.get_client_by_id(ctx.client_id)
  if not client then
    notify(M.SHOW_REFERENCES .. ": the language server is not running")
    return
  end
  local params = {
    textDocument = { uri = uri },
    position = { line = position.line, character = position.character },
    context = { includeDeclaration = false },
  }
  request(client, "textDocument/references", params, function(err, result)
    if err then
      notify("references: " .. (err.message or vim.inspect(err)))
      return
    end
    if result == nil or vim.tbl_isempty(result) then
      notify("no references", vim.log.levels.INFO)
      return
    end
    local items = vim.lsp.util.locations_to_items(result, client.offset_encoding)
    vim.fn.setqflist({}, " ", { title = "References", items = items })
    vim.cmd("botright copen")
  end, ctx.bufnr)
end

-- Registers the commands with Neovim's global registry (vim.lsp.commands),
-- which every client consults.
function M.register()
  vim.lsp.commands[M.SHOW_REFERENCES] = M.show_references
end

return M
