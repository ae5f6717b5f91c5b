-- Dossier for Neovim: starts `dossier lsp` for Markdown notes.
--
-- Works on Neovim 0.7 and later. 0.8+ has vim.lsp.start, which already reuses
-- a client per (name, root_dir); on 0.7 we start clients ourselves and keep one
-- per root. Only APIs present in 0.7 are used outside the 0.8+ branch (no
-- vim.fs, which is 0.8+: the root search uses vim.loop.fs_stat).

local M = {}

local commands = require("dossier.commands")
local highlight = require("dossier.highlight")

local uv = vim.loop

local defaults = {
  name = "dossier",
  cmd = { "dossier", "lsp" },
  filetypes = { "markdown" },
  -- The workspace root is the nearest folder upward holding one of these.
  root_markers = { "dossier.toml" },
  -- Also attach to Markdown outside any workspace (root: the file's folder,
  -- or the current directory for a buffer without a name).
  any_markdown = false,
  on_attach = nil,
  capabilities = nil,
  settings = nil,
}

local config = vim.deepcopy(defaults)

-- 0.7 only: client id by name and root, the key vim.lsp.start reuses by on 0.8+.
local clients_by_root = {}

-- Executables already reported missing, so that every Markdown buffer does not
-- repeat the same error.
local reported_missing = {}

local function notify(msg, level)
  vim.notify("dossier: " .. msg, level or vim.log.levels.ERROR)
end

local function parent(dir)
  local up = vim.fn.fnamemodify(dir, ":h")
  if up == dir then
    return nil -- reached "/" (or a drive root on Windows)
  end
  return up
end

-- The nearest folder from `dir` upward that holds one of `markers`, or nil.
function M.find_root(dir, markers)
  while dir do
    for _, marker in ipairs(markers) do
      if uv.fs_stat(dir .. "/" .. marker) then
        return dir
      end
    end
    dir = parent(dir)
  end
  return nil
end

-- The root for a buffer, or nil when the server should stay away from it.
local function root_for(bufnr)
  -- Scratch buffers such as LSP hover popups are Markdown too: never attach
  -- to anything but a normal buffer.
  if vim.bo[bufnr].buftype ~= "" then
    return nil
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == "" then
    -- Nothing on disk to search from: only a catch-all setup attaches.
    return config.any_markdown and vim.fn.getcwd() or nil
  end
  if name:match("^%a[%w+.-]+://") then
    return nil -- fugitive://, oil://, ...: not a file the server can index
  end
  local dir = vim.fn.fnamemodify(name, ":p:h")
  local root = M.find_root(dir, config.root_markers)
  if root == nil and config.any_markdown then
    root = dir
  end
  return root
end

local function client_config(root)
  return {
    name = config.name,
    cmd = config.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    capabilities = config.capabilities,
    settings = config.settings,
    on_attach = config.on_attach,
  }
end

-- Neovim 0.7: start (or reuse) the client for `root` and attach `bufnr`.
local function attach_07(bufnr, root)
  local key = config.name .. "\0" .. root
  local id = clients_by_root[key]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(client_config(root))
    if not id then
      return -- start_client has already reported why
    end
    clients_by_root[key] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

-- Attach the server to `bufnr` if it belongs to a workspace.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local root = root_for(bufnr)
  if not root then
    return
  end
  local exe = config.cmd[1]
  if vim.fn.executable(exe) ~= 1 then
    if not reported_missing[exe] then
      reported_missing[exe] = true
      notify(
        ("`%s` not found or not executable: install Dossier (cargo install --path .) "
          .. "or set `cmd` in require('dossier').setup{}"):format(exe)
      )
    end
    return
  end
  if vim.lsp.start then
    vim.lsp.start(client_config(root), { bufnr = bufnr })
  else
    attach_07(bufnr, root)
  end
end

function M.setup(opts)
  opts = opts or {}
  vim.validate({
    cmd = { opts.cmd, "table", true },
    name = { opts.name, "string", true },
    filetypes = { opts.filetypes, "table", true },
    root_markers = { opts.root_markers, "table", true },
    on_attach = { opts.on_attach, "function", true },
    capabilities = { opts.capabilities, "table", true },
    settings = { opts.settings, "table", true },
    any_markdown = { opts.any_markdown, "boolean", true },
  })
  config = vim.tbl_extend("force", vim.deepcopy(defaults), opts)

  -- The code lenses' command, and colours for the semantic tokens (0.9+).
  commands.register()
  highlight.setup(config.filetypes)

  -- A fresh group, so that calling setup() again replaces the autocommand.
  local group = vim.api.nvim_create_augroup("dossier", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = config.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
  })

  -- Buffers opened before setup() (e.g. when the plugin is loaded lazily)
  -- had their FileType event already.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if
      vim.api.nvim_buf_is_loaded(bufnr)
      and vim.tbl_contains(config.filetypes, vim.bo[bufnr].filetype)
    then
      M.attach(bufnr)
    end
  end
end

return M
