/**
 * Where Slack sends a person back after Sign in with Slack: the route (sign-in-routes.ts), the
 * redirect URI the settings build from PUBLIC_URL, and the app manifest all name this one path.
 */
export const SIGN_IN_CALLBACK_PATH = '/dashboard/auth/slack/callback';
