/** The `models` namespace: the lectures' models and torchvision-identical definitions (no pretrained weights). */
export { lenet5, alexnet, AlexNet, VGG, vgg11, vgg16, vgg19, vgg11Bn, vgg16Bn, vgg19Bn, vggCifar10, nin } from './classic';
export { ResNet, BasicBlock, Bottleneck, resnet18, resnet34, resnet50, resnext50_32x4d, resnet18Cifar10 } from './resnet';
export { resnet101, resnet152, resnet34Cifar10, resnet50Cifar10, PreActBlock, PreActResNet, preactResnet18 } from './preact';
export { GoogLeNet, Inception, BasicConv2d, googlenet } from './inception';
export { DenseNet, densenet121, MobileNetV2, mobilenetV2, squeezenet1_0, SqueezeNet, NamedSequential, InvertedResidual, Fire } from './mobile';
export { ReLU6 } from './common';
