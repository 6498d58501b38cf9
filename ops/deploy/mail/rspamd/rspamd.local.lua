-- rspamd: /etc/rspamd/rspamd.local.lua (or append to yours) — with local.d/rbl.conf of this folder.
-- rspamd's RBL module reads only the A answer of a list; this adds the list's TXT explanation
-- (the TrustBL lookup URL) as the option of TRUSTBL_REASON and as the SMTP reply, so a refused
-- sender reads why and where to ask for delisting, as with Postfix's reject_rbl_client.

local ZONE = 'bl.trustbl.test'   -- the zone of local.d/rbl.conf ('<querykey>.bl.trustbl.test' with a key)
local REJECT_LISTED = true       -- false: only score the listing (local.d/rbl_group.conf)
local LISTED = { 'RCVD_IN_TRUSTBL_REPORTS', 'RCVD_IN_TRUSTBL_TRAPS', 'RCVD_IN_TRUSTBL_PERSONAL' }

local function listing_symbol(task)
  for _, symbol in ipairs(LISTED) do
    if task:has_symbol(symbol) then
      return symbol
    end
  end
  return nil
end

rspamd_config:register_symbol({
  name = 'TRUSTBL_REASON',
  type = 'normal',
  score = 0.0,
  group = 'rbl',
  description = 'The TrustBL explanation (TXT) of the client listing',
  callback = function(task)
    local ip = task:get_from_ip()
    if not listing_symbol(task) or not ip or not ip:is_valid() then
      return
    end
    local name = table.concat(ip:inversed_str_octets(), '.') .. '.' .. ZONE
    task:get_resolver():resolve_txt({
      task = task,
      name = name,
      forced = true,
      callback = function(_, _, results, _)
        local reason = (results and results[1]) or ('listed in ' .. ZONE)
        task:insert_result('TRUSTBL_REASON', 1.0, reason)
        local reply = string.format('5.7.1 Service unavailable; client [%s] blocked using %s; %s',
            ip:to_string(), ZONE, reason)
        if REJECT_LISTED then
          task:set_pre_result({ action = 'reject', message = reply, module = 'trustbl' })
        else
          task:append_message(reply, 'smtp_message')
        end
      end,
    })
  end,
})
-- the RBL answers first: TRUSTBL_REASON runs after the rule's symbols are known
rspamd_config:register_dependency('TRUSTBL_REASON', 'RCVD_IN_TRUSTBL')
