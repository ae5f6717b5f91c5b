-- Neovim 0.11+ configuration of the Dossier language server, found by
-- `vim.lsp.enable("dossier")` when editors/nvim is on the runtimepath:
--
--   vim.opt.rtp:append("/path/to/dossier/editors/nvim")
--   vim.lsp.enable("dossier")
--
-- Change any field with `vim.lsp.config("dossier", { cmd = { ... } })`.
-- For Neovim 0.7 to 0.10, use `require("dossier").setup({})` instead.

require("dossier.highlight").setup({ "markdown" })

return {
  cmd = { "dossier", "lsp" },
  filetypes = { "markdown" },
  -- The workspace root is the nearest folder upward holding dossier.toml; a
  -- Markdown file outside any workspace gets no server.
  root_markers = { "dossier.toml" },
  workspace_required = true,
  commands = {
    [require("dossier.commands").SHOW_REFERENCES] = require("dossier.commands").show_references,
  },
}
