/** How the script reports: evaluate() on the test set, and the progress line every EVAL_EVERY steps. */
import { indent, pyFunction } from './lines';

/** Every EVAL_EVERY steps and at the last: test accuracy and loss (and ε), printed. */
export function progressReport(epsilon: string | undefined): string[] {
  return [
    'if step % EVAL_EVERY == 0 or step == STEPS:',
    ...indent([
      'acc, test_loss = evaluate(model, test, device)',
      ...(epsilon ? [`eps = ${epsilon}`] : []),
      `print(f'step {step}/{STEPS}  loss {loss.item():.4f}  test acc {acc:.4f}  test loss {test_loss:.4f}${epsilon ? '  epsilon {eps:.4f}' : ''}')`,
    ]),
  ];
}

/** evaluate(model, dataset, device): accuracy and mean cross-entropy on `dataset`, without gradients. */
export const EVALUATE = pyFunction(
  'evaluate(model, dataset, device)',
  [
    'model.eval()',
    'correct, loss_sum = 0, 0.0',
    'for x, y in DataLoader(dataset, batch_size=512):',
    '    x, y = x.to(device), y.to(device)',
    '    logits = model(x)',
    "    loss_sum += F.cross_entropy(logits, y, reduction='sum').item()",
    '    correct += (logits.argmax(1) == y).sum().item()',
    'model.train()',
    'return correct / len(dataset), loss_sum / len(dataset)',
  ],
  ['@torch.no_grad()'],
);
