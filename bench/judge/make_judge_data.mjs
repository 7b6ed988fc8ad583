// Input files of bench/judge/run_judge_bench.sh, written outside the repository.
//
//   node make_judge_data.mjs DATA_DIR MODEL_A.json,MODEL_B.json N OUT_DIR
//
// Reads two AlpacaEval model-output files (JSON arrays of {instruction, output, generator}),
// joins them on the instruction text (never on position: the upstream files do not all share
// one order), keeps the first N instructions (in the first file's order) that every file answers
// with a non-empty output, and writes:
//
//   OUT_DIR/<file>          each model file cut to those N instructions, records unchanged and in
//                           the file's own order: the studio imports them and joins on text itself
//   OUT_DIR/rubrics.jsonl   one rubric per instruction, {prompt, rubrics: [{criterion, weight}]}
//   OUT_DIR/promptfoo-tests.jsonl
//                           one promptfoo test per (instruction, model): vars.response (the
//                           graded text), vars.question and vars.fence (for the judge prompt: the
//                           studio's fence tag, so the server gets the studio's bytes), and
//                           one llm-rubric assertion whose value is the rubric as the studio lays
//                           it out ("c1: text" lines)
//   OUT_DIR/summary.json    {prompts, items, criteria, verdicts, dropped}
//
// The rubrics are made here, by rule, so both tools grade against the same text and the test
// server's judge can answer every criterion: up to three words of five or more letters from the
// instruction (`The response mentions "WORD".`, which the server checks as a substring), one
// length criterion (`at least 50 words`) and one criterion the server decides by word-count
// parity. So a rubric has 2 to 5 criteria, ids c1.. in order, as the studio's import numbers them.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';

const [dataDir, modelList, nText, outDir] = process.argv.slice(2);
if (!dataDir || !modelList || !nText || !outDir) {
  process.stderr.write('usage: node make_judge_data.mjs DATA_DIR A.json,B.json N OUT_DIR\n');
  process.exit(2);
}
const files = modelList.split(',').filter(Boolean);
const wanted = Number(nText);
if (!Number.isInteger(wanted) || wanted <= 0) {
  process.stderr.write(`make_judge_data: N must be a positive integer, got "${nText}"\n`);
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });

const models = files.map((f) => {
  const records = JSON.parse(readFileSync(join(dataDir, f), 'utf8'));
  const byText = new Map();
  for (const r of records) if (!byText.has(r.instruction)) byText.set(r.instruction, r);
  return { file: basename(f), records, byText };
});

const chosen = [];
let dropped = 0;
for (const r of models[0].records) {
  if (chosen.length >= wanted) break;
  const answered = models.every((m) => {
    const o = m.byText.get(r.instruction)?.output;
    return typeof o === 'string' && o.length > 0;
  });
  if (answered) chosen.push(r.instruction);
  else dropped++;
}
const keep = new Set(chosen);

function rubricFor(instruction) {
  const words = [];
  for (const w of instruction.toLowerCase().match(/\p{L}+/gu) ?? []) {
    if ([...w].length >= 5 && !words.includes(w)) words.push(w);
    if (words.length === 3) break;
  }
  return [
    ...words.map((w) => ({ criterion: `The response mentions "${w}".`, weight: 1 + ([...w].length % 3) })),
    { criterion: 'The response is at least 50 words long.', weight: 1 },
    { criterion: 'The response answers the instruction directly.', weight: 2 },
  ];
}

// The studio's fence tag: the first 12 hex digits of SHA-256(prompt U+001F response), the same
// in every call on that response (core/judge/judgetemplate.cpp, fenceTag).
const fenceTag = (prompt, response) =>
  createHash('sha256').update(`${prompt}\u001f${response}`, 'utf8').digest('hex').slice(0, 12);

// promptfoo 0.118 drops one trailing newline from a test variable's value before it fills the
// grading prompt in; one more keeps the text it sends byte for byte the studio's.
const asPromptfooVar = (text) => (text.endsWith('\n') ? `${text}\n` : text);

const rubrics = [];
const tests = [];
let criteria = 0;
let verdicts = 0;
for (const instruction of chosen) {
  const rubric = rubricFor(instruction);
  criteria += rubric.length;
  rubrics.push(JSON.stringify({ prompt: instruction, rubrics: rubric }));
  const block = rubric.map((c, i) => `c${i + 1}: ${c.criterion}`).join('\n');
  for (const m of models) {
    const response = m.byText.get(instruction).output;
    verdicts += rubric.length;
    tests.push(
      JSON.stringify({
        vars: {
          response: asPromptfooVar(response),
          question: asPromptfooVar(instruction),
          fence: fenceTag(instruction, response),
        },
        assert: [{ type: 'llm-rubric', value: block }],
      }),
    );
  }
}

for (const m of models)
  writeFileSync(join(outDir, m.file), JSON.stringify(m.records.filter((r) => keep.has(r.instruction))));
writeFileSync(join(outDir, 'rubrics.jsonl'), rubrics.join('\n') + '\n');
writeFileSync(join(outDir, 'promptfoo-tests.jsonl'), tests.join('\n') + '\n');
const summary = { prompts: chosen.length, items: tests.length, criteria, verdicts, dropped };
writeFileSync(join(outDir, 'summary.json'), JSON.stringify(summary) + '\n');
process.stdout.write(JSON.stringify(summary) + '\n');
