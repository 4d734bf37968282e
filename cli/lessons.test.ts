/**
 * Every lesson's outcome (docs/LESSONS.md) holds over 3 seeds. Runs `autoclip lesson`'s code (runLesson:
 * RunController in Node, the TF.js CPU backend) and checks the verdict and its numbers. Each lesson
 * uses the smallest settings that still show its point (docs/LESSONS.md has the measured tables).
 */
import { describe, expect, it } from 'vitest';
import { LESSON_SEEDS, LESSONS } from '../src/lessons';
import { runLesson } from './lessonRunner';
import { main } from './main';

describe('lessons hold over 3 seeds (autoclip lesson NAME)', () => {
  for (const lesson of LESSONS) {
    it(`${lesson.name}: ${lesson.title}`, { timeout: 900_000 }, async () => {
      const report = await runLesson(lesson, [...LESSON_SEEDS]);
      expect(report.runs).toHaveLength(lesson.runs.length * LESSON_SEEDS.length);
      for (const r of report.runs) expect(r.steps, `${r.label} seed ${r.seed}`).toBeGreaterThan(0);
      expect(report.outcome.holds, `${lesson.name}: ${report.outcome.detail}`).toBe(true);
      for (const [k, v] of Object.entries(report.outcome.numbers)) expect(Number.isFinite(v), k).toBe(true);
    });
  }
});

describe('autoclip lesson --list --json', () => {
  it('lists every lesson with its name, title, paper section and runs, and exits 0', async () => {
    const out: string[] = [];
    const err: string[] = [];
    expect(await main(['lesson', '--list', '--json'], { out: (l) => out.push(l), err: (l) => err.push(l) })).toBe(0);
    expect(err).toEqual([]);
    const listed = JSON.parse(out.join('\n')) as { lessons: { name: string; title: string; paper: string; runs: string[] }[] };
    expect(listed.lessons.map((l) => l.name)).toEqual(LESSONS.map((l) => l.name));
    for (const [i, l] of listed.lessons.entries()) {
      expect(l.title).toBe(LESSONS[i].title);
      expect(l.paper).toMatch(/^Bu et al\. 2023, §/);
      expect(l.runs).toEqual(LESSONS[i].runs.map((r) => r.label));
    }
  });
});
