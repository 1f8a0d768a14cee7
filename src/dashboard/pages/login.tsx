import { Layout } from '../components/layout.tsx';

export function LoginPage(props: { next: string; email?: string; error?: string | null }) {
  return (
    <Layout title="Sign in">
      <div class="login panel">
        <h1>Sign in to moderate</h1>
        {props.error && (
          <p class="form-error" role="alert" id="login-error">
            {props.error}
          </p>
        )}
        <form method="post" action="/dashboard/login">
          <input type="hidden" name="next" value={props.next} />
          <div class="field">
            <label for="email">Email</label>
            <input
              id="email"
              name="email"
              type="email"
              autocomplete="username"
              required
              value={props.email ?? ''}
              aria-describedby={props.error ? 'login-error' : undefined}
              autofocus
            />
          </div>
          <div class="field">
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required />
          </div>
          <button type="submit" class="primary">
            Sign in
          </button>
        </form>
      </div>
    </Layout>
  );
}
