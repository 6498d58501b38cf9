# Moved or copied into Junk: report it to TrustBL as spam (the helper reads the message on stdin).
require ["vnd.dovecot.pipe", "copy", "imapsieve", "environment", "variables"];

if environment :matches "imap.user" "*" {
  set "username" "${1}";
}
pipe :copy "trustbl-report" ["spam", "${username}"];
