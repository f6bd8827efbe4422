// Every test runs in the company's time zone, and libraries stay quiet.
process.env.TZ = process.env.TZ || 'Asia/Shanghai';
process.env.DOTENV_CONFIG_QUIET = 'true';
