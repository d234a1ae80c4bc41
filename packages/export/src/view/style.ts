/** The page's style, inline: the file must open with no network. */
export const STYLE = `
body { font: 13px/1.4 system-ui, sans-serif; margin: 0; color: #1d232b; background: #fafbfc; }
header { padding: 10px 16px; border-bottom: 1px solid #d8dee4; background: #fff; }
h1 { font-size: 16px; margin: 0 0 4px; } h2 { font-size: 13px; margin: 8px 0; color: #57606a; } h3 { font-size: 13px; margin: 4px 0; }
#summary { color: #57606a; font-family: ui-monospace, monospace; }
#explanation { margin-top: 8px; padding: 8px; background: #fff4e5; border-left: 4px solid #d9480f; }
.moved-id, .reason, .note { font-family: ui-monospace, monospace; color: #57606a; }
main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 12px; padding: 0 16px; }
.lane { display: grid; grid-template-columns: 240px 56px 1fr; align-items: center; height: 24px; border-bottom: 1px solid #eef1f4; cursor: pointer; }
.lane:hover { background: #f0f4f8; } .lane.selected { background: #dbeafe; }
.lane-label { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-family: ui-monospace, monospace; }
.lane-status { font-family: ui-monospace, monospace; color: #1a7f37; } .lane.failed .lane-status { color: #cf222e; }
.lane-track { position: relative; height: 16px; background: #f3f5f7; }
.span { position: absolute; top: 4px; height: 8px; background: #8cb4e8; border-radius: 2px; }
.lane.failed .span { background: #f2a3a3; }
.delivery { position: absolute; top: 1px; width: 2px; height: 14px; background: #33415c; }
.delivery.moved { width: 4px; background: #d9480f; outline: 2px solid #ffd8a8; z-index: 2; }
.delivery.current { width: 4px; background: #0969da; outline: 2px solid #b6e3ff; z-index: 2; }
#tip { position: fixed; z-index: 10; max-width: 480px; padding: 4px 8px; background: #1d232b; color: #fff; border-radius: 4px; font-family: ui-monospace, monospace; font-size: 12px; pointer-events: none; }
.finding-mark { position: absolute; top: -2px; width: 8px; height: 8px; margin-left: -4px; border-radius: 50%; background: #bf8700; z-index: 3; }
.finding-mark.error { background: #cf222e; }
.axis { display: grid; grid-template-columns: 240px 56px 1fr; height: 18px; color: #57606a; font-size: 11px; }
.axis .lane-track { background: none; } .tick { position: absolute; transform: translateX(-50%); white-space: nowrap; }
.tick:first-child { transform: none; } .tick:last-child { transform: translateX(-100%); }
.more { position: absolute; right: 2px; font-size: 10px; color: #57606a; }
#tree { max-height: 45vh; overflow: auto; background: #fff; border: 1px solid #d8dee4; }
.task { display: flex; justify-content: space-between; font-family: ui-monospace, monospace; white-space: nowrap; }
.task.open .task-name { color: #cf222e; } .task-time { color: #57606a; padding-right: 6px; }
#findings { max-height: 40vh; overflow: auto; }
.finding { padding: 6px; margin-bottom: 4px; background: #fff; border-left: 4px solid #bf8700; cursor: pointer; }
.finding.error { border-left-color: #cf222e; } .finding.info { border-left-color: #8c959f; } .finding.current { background: #dbeafe; }
.finding .kind { font-weight: 600; margin-right: 6px; } .path, .where { font-family: ui-monospace, monospace; color: #57606a; }
#help { position: fixed; bottom: 12px; right: 12px; max-width: 420px; padding: 10px; background: #fff; border: 1px solid #d8dee4; box-shadow: 0 2px 8px #0002; }
.none { color: #57606a; padding: 6px; }
`;
