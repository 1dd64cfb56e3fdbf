-- repl-pki: replication accounts on db2 (MySQL 8.0.21), one per replica so that one can be revoked alone.
-- Passwords are read from session variables and never written to a file: RUNBOOK.md, step "Replication accounts".
-- REQUIRE strings as X509_NAME_oneline prints them with OpenSSL 3 (the same with OpenSSL 1.x).
SET @repl_pki_sql = IF(COALESCE(@repl_password_repl_db3, '') = '', 'SELECT `source.sql needs @repl_password_repl_db3: see RUNBOOK.md`', 'DO 0');
PREPARE repl_pki_stmt FROM @repl_pki_sql; EXECUTE repl_pki_stmt; DEALLOCATE PREPARE repl_pki_stmt;
-- accounts belong to this server: not written to its binary log
SET SESSION sql_log_bin = 0;
-- db3: dials db2.example.com; password from @repl_password_repl_db3 (environment variable REPL_PASSWORD_DB3)
SET @repl_pki_sql = CONCAT('CREATE USER IF NOT EXISTS ''repl_db3''@''%'' IDENTIFIED BY ', QUOTE(@repl_password_repl_db3), ' REQUIRE SUBJECT ''/CN=db3.client'' AND ISSUER ''/CN=repl-pki Intermediate CA''');
PREPARE repl_pki_stmt FROM @repl_pki_sql; EXECUTE repl_pki_stmt; DEALLOCATE PREPARE repl_pki_stmt;
SET @repl_pki_sql = CONCAT('ALTER USER ''repl_db3''@''%'' IDENTIFIED BY ', QUOTE(@repl_password_repl_db3));
PREPARE repl_pki_stmt FROM @repl_pki_sql; EXECUTE repl_pki_stmt; DEALLOCATE PREPARE repl_pki_stmt;
ALTER USER 'repl_db3'@'%' REQUIRE SUBJECT '/CN=db3.client' AND ISSUER '/CN=repl-pki Intermediate CA';
GRANT REPLICATION SLAVE ON *.* TO 'repl_db3'@'%';
SET SESSION sql_log_bin = 1;
