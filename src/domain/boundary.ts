/** A 2D model's decision boundary: P(class 1) over a square grid, for drawing under the training points. */
export interface DecisionBoundary {
  step: number;
  /** The grid is resolution × resolution cells over [-extent, extent]². */
  resolution: number;
  extent: number;
  /** P(class 1) per cell, row-major from the top. */
  values: Float32Array;
}
