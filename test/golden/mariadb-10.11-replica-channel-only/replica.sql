-- repl-pki: replication channel of db3 (MariaDB 10.11), following db2 (MariaDB 10.11) at db2.example.com:3306.
-- The password of 'repl_db3' is read from @repl_password and never written to a file: RUNBOOK.md, step "Replication channel".
SET @repl_pki_sql = IF(COALESCE(@repl_password, '') = '', 'SELECT `replica.sql needs @repl_password: see RUNBOOK.md`', 'DO 0');
PREPARE repl_pki_stmt FROM @repl_pki_sql; EXECUTE repl_pki_stmt; DEALLOCATE PREPARE repl_pki_stmt;
STOP SLAVE;
CHANGE MASTER TO
  MASTER_HOST = 'db2.example.com',
  MASTER_PORT = 3306,
  MASTER_USER = 'repl_db3',
  MASTER_SSL = 1,
  MASTER_SSL_CA = '/etc/mysql/tls/ca.pem',
  MASTER_SSL_CAPATH = '',
  MASTER_SSL_CERT = '/etc/mysql/tls/client-cert.pem',
  MASTER_SSL_KEY = '/etc/mysql/tls/client-key.pem',
  MASTER_SSL_CRL = '/etc/mysql/tls/crl.pem',
  MASTER_SSL_CRLPATH = '/etc/mysql/tls/crl.d',
  MASTER_SSL_VERIFY_SERVER_CERT = 1;
SET @repl_pki_sql = CONCAT('CHANGE MASTER TO MASTER_PASSWORD = ', QUOTE(@repl_password));
PREPARE repl_pki_stmt FROM @repl_pki_sql; EXECUTE repl_pki_stmt; DEALLOCATE PREPARE repl_pki_stmt;
-- Start position: MASTER_USE_GTID = slave_pos is the default: a new replica starts at @@gtid_slave_pos (set it with SET GLOBAL gtid_slave_pos = '…' after restoring a backup). For a binlog position instead, run CHANGE MASTER TO MASTER_USE_GTID = no, MASTER_LOG_FILE = '…', MASTER_LOG_POS = …; before START SLAVE.
START SLAVE;
