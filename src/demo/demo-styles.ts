export const demoStyles = `
:root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--bg:#fff;--line:#d1d9e0;--accent:#0b57d0}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--line:#3d444d;--accent:#6ea8fe}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:18px/1.6 Georgia,'Times New Roman',serif}
main{max-width:44rem;margin:0 auto;padding:2rem 1.25rem 4rem}
.kicker{font:600 .8rem/1.2 system-ui,sans-serif;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
h1{font-size:2rem;line-height:1.2;margin:.5rem 0 1rem}
.highlights{font:1rem/1.5 system-ui,sans-serif;color:var(--muted);padding-left:1.2rem}
.comments{margin-top:3rem;border-top:2px solid var(--fg);padding-top:1rem;font:16px/1.55 system-ui,sans-serif}
.thread,.replies{list-style:none;padding:0;margin:0}
.replies{margin-left:1.25rem;padding-left:1rem;border-left:2px solid var(--line)}
.comment article{padding:.9rem 0;border-bottom:1px solid var(--line)}
.comment header{display:flex;gap:.6rem;align-items:center;flex-wrap:wrap}
.avatar{display:inline-grid;place-items:center;width:2rem;height:2rem;border-radius:50%;color:#fff;font-weight:700;font-size:.8rem}
.author{font-weight:600}
time{color:var(--muted);font-size:.85rem}
.body p{margin:.4rem 0}
a{color:var(--accent)}
.reply,.report{font-size:.85rem}
.report{margin-left:1rem}
fieldset{border:1px solid var(--line);border-radius:6px;margin-top:1rem}
fieldset label{font-weight:400}
input[type=radio],input[type=checkbox]{width:auto}
.respond{margin-top:2rem}
.note{color:var(--muted);font-size:.9rem}
label{display:block;font-weight:600;margin-top:.8rem}
input,textarea{width:100%;padding:.55rem .65rem;font:inherit;color:inherit;background:transparent;border:1px solid var(--line);border-radius:6px}
input:focus,textarea:focus,button:focus,a:focus{outline:3px solid var(--accent);outline-offset:2px}
button{margin-top:1rem;padding:.6rem 1.2rem;font:600 1rem system-ui,sans-serif;color:#fff;background:var(--accent);border:0;border-radius:6px;cursor:pointer}
.notice{padding:.7rem 1rem;border:1px solid var(--accent);border-radius:6px}
.hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}
`;
