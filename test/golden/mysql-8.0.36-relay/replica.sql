-- repl-pki: replication channel of db2 (MySQL 8.0.36), following db1 (MySQL 8.0.36) at db1.example.com:3306.
-- The password of 'repl_db2' is read from @repl_password and never written to a file: RUNBOOK.md, step "Replication channel".
SET @repl_pki_sql = IF(COALESCE(@repl_password, '') = '', 'SELECT `replica.sql needs @repl_password: see RUNBOOK.md`', 'DO 0');
PREPARE repl_pki_stmt FROM @repl_pki_sql; EXECUTE repl_pki_stmt; DEALLOCATE PREPARE repl_pki_stmt;
STOP REPLICA;
CHANGE REPLICATION SOURCE TO
  SOURCE_HOST = 'db1.example.com',
  SOURCE_PORT = 3306,
  SOURCE_USER = 'repl_db2',
  SOURCE_SSL = 1,
  SOURCE_SSL_CA = '/etc/mysql/tls/ca.pem',
  SOURCE_SSL_CAPATH = '',
  SOURCE_SSL_CERT = '/etc/mysql/tls/client-cert.pem',
  SOURCE_SSL_KEY = '/etc/mysql/tls/client-key.pem',
  SOURCE_SSL_CRL = '/etc/mysql/tls/crl.pem',
  SOURCE_SSL_CRLPATH = '/etc/mysql/tls/crl.d',
  SOURCE_SSL_VERIFY_SERVER_CERT = 1,
  SOURCE_TLS_VERSION = 'TLSv1.2,TLSv1.3';
SET @repl_pki_sql = CONCAT('CHANGE REPLICATION SOURCE TO SOURCE_PASSWORD = ', QUOTE(@repl_password));
PREPARE repl_pki_stmt FROM @repl_pki_sql; EXECUTE repl_pki_stmt; DEALLOCATE PREPARE repl_pki_stmt;
-- Start position: Use SOURCE_AUTO_POSITION = 1 with gtid_mode = ON, or SOURCE_LOG_FILE = '…', SOURCE_LOG_POS = …, in a CHANGE REPLICATION SOURCE TO before START REPLICA.
START REPLICA;
