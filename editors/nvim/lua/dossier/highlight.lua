-- Colours for the server's semantic tokens (SPEC §7): each of Dossier's own
-- token types is linked to a standard highlight group, so that every
-- colorscheme colours it. Neovim highlights semantic tokens from 0.9 on, and
-- older versions reject group names that start with `@`: there this does
-- nothing.
--
-- The links are `default` links: a colorscheme or a user's own
-- `nvim_set_hl(0, "@lsp.type.actor.markdown", {...})` wins. `:colorscheme`
-- clears every group first, so they are set again after each one.

local M = {}

-- Token type → group. The choices mirror the VS Code extension's super-types:
-- an actor is a named thing the note refers to (a variable's colour), a
-- source a document outside it (an include), a claim id a label, a claim's
-- `{`, `|` and `}` delimiters, the keys of `key:value` tokens and fields
-- keywords, their values constants, a locator `(p. 3)` a string.
M.types = {
  actor = "Identifier",
  source = "Include",
  claimId = "Label",
  claim = "Delimiter",
  metadataKey = "Keyword",
  metadataValue = "Constant",
  locator = "String",
  fieldKey = "Keyword",
}

-- Modifier → group, drawn over the type's colour (Neovim gives modifiers a
-- higher priority than types). `declaration` keeps its type's colour.
M.modifiers = {
  unknown = "DiagnosticError", -- an id nothing defines
  weak = "DiagnosticInfo", -- a citation of a weak source
}

-- Type and modifier together: only a claim can be unsourced.
M.typemods = {
  ["claim.unsourced"] = "DiagnosticWarn",
}

-- Every group name → the group it links to, for the given filetypes.
function M.links(filetypes)
  local links = {}
  for _, ft in ipairs(filetypes) do
    for type, group in pairs(M.types) do
      links["@lsp.type." .. type .. "." .. ft] = group
    end
    for modifier, group in pairs(M.modifiers) do
      links["@lsp.mod." .. modifier .. "." .. ft] = group
    end
    for typemod, group in pairs(M.typemods) do
      links["@lsp.typemod." .. typemod .. "." .. ft] = group
    end
  end
  return links
end

local function apply(filetypes)
  for name, group in pairs(M.links(filetypes)) do
    vim.api.nvim_set_hl(0, name, { link = group, default = true })
  end
end

-- Sets the links for `filetypes` now and after every `:colorscheme`.
function M.setup(filetypes)
  if vim.fn.has("nvim-0.9") ~= 1 then
    return
  end
  apply(filetypes)
  local group = vim.api.nvim_create_augroup("dossier.highlight", { clear = true })
  vim.api.nvim_create_autocmd("ColorScheme", {
    group = group,
    callback = function()
      apply(filetypes)
    end,
  })
end

return M
