# Moved out of Junk: the user says it is not spam; TrustBL gets a positive report for its source.
# Deleting spam (a move to Trash) is no such statement.
require ["vnd.dovecot.pipe", "copy", "imapsieve", "environment", "variables"];

if environment :matches "imap.mailbox" "*" {
  set "mailbox" "${1}";
}
if string :is "${mailbox}" "Trash" {
  stop;
}
if environment :matches "imap.user" "*" {
  set "username" "${1}";
}
pipe :copy "trustbl-report" ["ham", "${username}"];
