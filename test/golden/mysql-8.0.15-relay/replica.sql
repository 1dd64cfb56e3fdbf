-- repl-pki: replication channel of db2 (MySQL 8.0.15), following db1 (MySQL 8.0.15) at db1.example.com:3306.
-- The password of 'repl_db2' is read from @repl_password and never written to a file: RUNBOOK.md, step "Replication channel".
SET @repl_pki_sql = IF(COALESCE(@repl_password, '') = '', 'SELECT `replica.sql needs @repl_password: see RUNBOOK.md`', 'DO 0');
PREPARE repl_pki_stmt FROM @repl_pki_sql; EXECUTE repl_pki_stmt; DEALLOCATE PREPARE repl_pki_stmt;
STOP SLAVE;
CHANGE MASTER TO
  MASTER_HOST = 'db1.example.com',
  MASTER_PORT = 3306,
  MASTER_USER = 'repl_db2',
  MASTER_SSL = 1,
  MASTER_SSL_CA = '/etc/mysql/tls/ca.pem',
  MASTER_SSL_CAPATH = '',
  MASTER_SSL_CERT = '/etc/mysql/tls/client-cert.pem',
  MASTER_SSL_KEY = '/etc/mysql/tls/client-key.pem',
  MASTER_SSL_CRL = '/etc/mysql/tls/crl.pem',
  MASTER_SSL_CRLPATH = '/etc/mysql/tls/crl.d',
  MASTER_SSL_VERIFY_SERVER_CERT = 1,
  MASTER_TLS_VERSION = 'TLSv1.2';
SET @repl_pki_sql = CONCAT('CHANGE MASTER TO MASTER_PASSWORD = ', QUOTE(@repl_password));
PREPARE repl_pki_stmt FROM @repl_pki_sql; EXECUTE repl_pki_stmt; DEALLOCATE PREPARE repl_pki_stmt;
-- Start position: Use MASTER_AUTO_POSITION = 1 with gtid_mode = ON, or MASTER_LOG_FILE = '…', MASTER_LOG_POS = …, in a CHANGE MASTER TO before START SLAVE.
START SLAVE;
