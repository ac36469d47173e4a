// Tests do not depend on the caller's environment: the variables the portal reads get the same values
// for every run (`PORT=4000 npm test` or a Japanese LANG must not change a link or a message).
// The database under test is chosen by TEST_DATABASE_URL only.
process.env.PORT = "3000";
delete process.env.PUBLIC_URL;
delete process.env.DATABASE_URL;
delete process.env.RESEND_API_KEY;
delete process.env.RESEND_BASE_URL;
process.env.LANG = "en_US.UTF-8";
process.env.TZ = "UTC";
