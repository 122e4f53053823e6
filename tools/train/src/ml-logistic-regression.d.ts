/** ml-logistic-regression 2 ships no types: the part of its API training uses. */
declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';
  class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    /** One-vs-all binary classifiers; with two classes, classifier 0 scores "not class 0". */
    classifiers: { weights: Matrix; testScores(x: Matrix): number[] }[];
    train(x: Matrix, y: Matrix): void;
    predict(x: Matrix): number[];
  }
  export = LogisticRegression;
}
