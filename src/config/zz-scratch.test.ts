import { it } from 'vitest';
import { checkConfigFile } from './check-config.js';
import { embeddedDefaultConfig } from './default-config.js';
it('scratch', () => {
for (const f of ['/tmp/cfgtest/example.toml', '/tmp/cfgtest/bad.toml']) console.log(checkConfigFile(f, { TEAM_A_KEY: 'k', OPENAI_API_KEY: 'sk', GEMINI_API_KEY: 'g' }).lines.join('\n'));
console.log(JSON.stringify(embeddedDefaultConfig({ ANTHROPIC_API_KEY: 'x' }), null, 1));
});
