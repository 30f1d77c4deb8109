-- Headless Neovim session driven by tests/lsp_neovim.rs.
--
-- Starts `dockstage lsp` for the current buffer (a Dockerfile), waits for its
-- diagnostics, writes them to $DOCKSTAGE_OUT, applies the code action whose title
-- starts with $DOCKSTAGE_ACTION, waits for the diagnostics to be republished,
-- writes the buffer and quits. Any failure is written to $DOCKSTAGE_OUT and exits
-- with a non-zero status.
--
-- Works on Neovim 0.7 (Debian bookworm): `vim.lsp.start` arrived in 0.8, so this uses
-- `vim.lsp.start_client` + `vim.lsp.buf_attach_client`.

local bin = assert(os.getenv("DOCKSTAGE_BIN"), "DOCKSTAGE_BIN is not set")
local out_path = assert(os.getenv("DOCKSTAGE_OUT"), "DOCKSTAGE_OUT is not set")
local wanted_action = os.getenv("DOCKSTAGE_ACTION") or ""
local lines = {}

local function log(line)
  table.insert(lines, line)
end

local function flush()
  local file = assert(io.open(out_path, "w"))
  file:write(table.concat(lines, "\n") .. "\n")
  file:close()
end

local function describe(d)
  local first = vim.split(d.message, "\n", { plain = true })[1]
  return string.format("%d:%d-%d:%d %s %s %s", d.lnum, d.col, d.end_lnum, d.end_col,
    tostring(d.code), d.source or "?", first)
end

local function run()
  local buf = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = "dockstage",
    cmd = { bin, "lsp" },
    root_dir = vim.fn.getcwd(),
  })
  assert(client_id, "could not start dockstage lsp")
  assert(vim.lsp.buf_attach_client(buf, client_id), "could not attach")

  local got = vim.wait(15000, function()
    return #vim.diagnostic.get(buf) > 0
  end, 20)
  assert(got, "no diagnostics within 15 s")
  local client = vim.lsp.get_client_by_id(client_id)
  log("encoding " .. tostring(client.offset_encoding))
  local diagnostics = vim.diagnostic.get(buf)
  for _, d in ipairs(diagnostics) do
    log("diagnostic " .. describe(d))
  end

  -- Ask for actions at the first finding: cursor there, converted by Neovim to the
  -- negotiated encoding (UTF-16 columns).
  local first = diagnostics[1]
  vim.api.nvim_win_set_cursor(0, { first.lnum + 1, first.col })
  local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
  params.context = { diagnostics = {} }
  local response = client.request_sync("textDocument/codeAction", params, 10000, buf)
  assert(response and not response.err, "codeAction failed: " .. vim.inspect(response))
  local chosen
  for _, action in ipairs(response.result or {}) do
    log("action " .. action.title)
    if chosen == nil and vim.startswith(action.title, wanted_action) then
      chosen = action
    end
  end
  assert(chosen, "no code action titled " .. wanted_action)
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  log("applied " .. chosen.title)

  local cleared = vim.wait(15000, function()
    return #vim.diagnostic.get(buf) == 0
  end, 20)
  log("after " .. #vim.diagnostic.get(buf) .. " diagnostics" .. (cleared and "" or " (timed out)"))
  vim.cmd("write")

  vim.lsp.stop_client(client_id)
  local stopped = vim.wait(10000, function()
    return vim.lsp.client_is_stopped(client_id)
  end, 20)
  log("stopped " .. tostring(stopped))
end

local ok, err = pcall(run)
if not ok then
  log("ERROR " .. tostring(err))
  flush()
  vim.cmd("cquit 1")
else
  log("done")
  flush()
  vim.cmd("qall!")
end
