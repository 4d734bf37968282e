/** What the app shows and stores of a loaded dataset (the examples stay in the worker). */
export interface DatasetMeta {
  name: string;
  source: string;
  trainSize: number;
  testSize: number;
  inputShape: number[];
  numClasses: number;
}
