export type { Activation, Model, ModelSpec } from './types';
export type { Layer, LayerKind, Padding } from './layers/layer';
export { Dense } from './layers/dense';
export { Conv2D } from './layers/conv2d';
export { ActivationLayer } from './layers/activation';
export { MaxPool2D, AvgPool2D } from './layers/pooling';
export { Flatten } from './layers/flatten';
export { SequentialModel } from './sequential';
export { buildModel, LayerStack } from './build';
