#!/usr/bin/python3
"""Writes the layer-graph test fixtures: small networks as ONNX and Keras files, with expected logits.

Run by hand, not by the tests (Debian: apt-get install python3-torch python3-h5py python3-onnx):

    /usr/bin/python3 core/src/test/python/make_graph_fixtures.py

Each network NAME gets, in core/src/test/resources/org/fineprune/core/graph/:
  NAME.onnx        what torch.onnx.export writes (opset 13; the residual net also with BatchNormalization
                   kept, NAME_bn.onnx); keras_same.onnx is written with onnx.helper, as tf2onnx would
  NAME.h5          a Keras 2.x full-model file (model_config + model_weights/), written with h5py in the
                   layout of Keras 2.3.1's model.save (Debian has no Keras)
  NAME.expected.h5 `input` (N, C, H, W) float32 in [0, 1) and `logits` (N, classes), computed in float64
Weights are seeded random, batch-norm statistics too, so that every weight matters.
"""
import json
import os

import h5py
import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "org", "fineprune", "core",
                   "graph")
KERAS_VERSION = "2.3.1"


def randomize(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in list(model.named_parameters()) + list(model.named_buffers()):
            if name.endswith("num_batches_tracked"):
                continue
            if name.endswith("running_var"):
                p.copy_(torch.rand(p.shape, generator=g) + 0.5)
            else:
                p.copy_((torch.rand(p.shape, generator=g) - 0.5) * (2.0 if p.dim() == 1 else 1.0))
    return model.eval()


# ---- networks ----

class PlainCnn(nn.Module):
    """1x12x12 > conv1 (6, 3x3) ReLU > max pool 2 > conv2 (8, 3x3, pad 1) ReLU > avg pool 2 > fc1 (16) ReLU > fc2 (10)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 3)
        self.relu1 = nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(6, 8, 3, padding=1)
        self.relu2 = nn.ReLU()
        self.pool2 = nn.AvgPool2d(2)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(32, 16)
        self.relu3 = nn.ReLU()
        self.drop = nn.Dropout(0.5)
        self.fc2 = nn.Linear(16, 10)

    def forward(self, x):
        x = self.pool1(self.relu1(self.conv1(x)))
        x = self.pool2(self.relu2(self.conv2(x)))
        return self.fc2(self.drop(self.relu3(self.fc1(self.flatten(x)))))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        skip = x if self.downsample is None else self.downsample(x)
        return self.relu(y + skip)


class ResidualCnn(nn.Module):
    """3x10x10 > conv_d (8) BN ReLU > layer1.0 (8) > layer2.0 (12, stride 2, 1x1 downsample) > global avg pool > fc (7)."""

    def __init__(self):
        super().__init__()
        self.conv_d = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(8)
        self.relu = nn.ReLU()
        self.layer1 = nn.Sequential(BasicBlock(8, 8, 1))
        self.layer2 = nn.Sequential(BasicBlock(8, 12, 2))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(12, 7)

    def forward(self, x):
        x = self.relu(self.bn(self.conv_d(x)))
        x = self.layer2(self.layer1(x))
        return self.fc(torch.flatten(self.pool(x), 1))


class KerasSame(nn.Module):
    """The functional Keras model below in PyTorch: 'same' padding where Keras puts the odd row at the bottom."""

    def __init__(self):
        super().__init__()
        self.conv_a = nn.Conv2d(2, 4, 2)
        self.conv_b = nn.Conv2d(2, 4, 3)
        self.conv_c = nn.Conv2d(8, 6, 3, stride=2)
        self.out = nn.Linear(6, 5)

    def forward(self, x):
        a = torch.relu(self.conv_a(F.pad(x, (0, 1, 0, 1))))
        b = torch.tanh(self.conv_b(F.pad(x, (1, 1, 1, 1))))
        x = torch.cat([a, b], 1)
        x = F.max_pool2d(F.pad(x, (0, 1, 0, 1), value=float("-inf")), 3, 2)
        x = torch.relu(self.conv_c(F.pad(x, (0, 1, 0, 1))))
        return self.out(torch.amax(x, dim=(2, 3)))


# ---- Keras 2.x full-model files ----

def conv_config(name, filters, kernel, strides=1, padding="valid", activation="linear", use_bias=True,
                input_shape=None):
    config = {"name": name, "trainable": True, "dtype": "float32", "filters": filters,
              "kernel_size": [kernel, kernel], "strides": [strides, strides], "padding": padding,
              "data_format": "channels_last", "dilation_rate": [1, 1], "activation": activation,
              "use_bias": use_bias}
    if input_shape:
        config["batch_input_shape"] = [None] + list(input_shape)
    return {"class_name": "Conv2D", "config": config}


def layer(class_name, name, **config):
    config = dict({"name": name, "trainable": True, "dtype": "float32"}, **config)
    return {"class_name": class_name, "config": config}


def conv_kernel(conv):
    return conv.weight.detach().numpy().transpose(2, 3, 1, 0)


def dense_kernel(linear, chw=None):
    """(out, in) to Keras (in, out); rows of a dense layer after a Flatten go from C, H, W to H, W, C order."""
    w = linear.weight.detach().numpy()
    if chw is not None:
        c, h, wd = chw
        w = w.reshape(-1, c, h, wd).transpose(0, 2, 3, 1).reshape(w.shape[0], -1)
    return w.T


def bn_weights(bn):
    return [bn.weight.detach().numpy(), bn.bias.detach().numpy(), bn.running_mean.numpy(), bn.running_var.numpy()]


def write_keras(path, model_config, weights):
    """weights: layer name -> list of (weight name, array), in Keras order, for every layer of the config."""
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = KERAS_VERSION.encode()
        f.attrs["backend"] = b"tensorflow"
        f.attrs["model_config"] = json.dumps(model_config).encode()
        group = f.create_group("model_weights")
        names = [l["config"]["name"] for l in model_config["config"]["layers"]]
        group.attrs["layer_names"] = np.array([n.encode() for n in names])
        group.attrs["backend"] = b"tensorflow"
        group.attrs["keras_version"] = KERAS_VERSION.encode()
        for n in names:
            g = group.create_group(n)
            entries = weights.get(n, [])
            g.attrs["weight_names"] = np.array([f"{n}/{w}:0".encode() for w, _ in entries], dtype="S")
            for w, value in entries:
                g.create_dataset(f"{n}/{w}:0", data=np.asarray(value, dtype=np.float32))


def functional(name, layers, inputs, outputs):
    return {"class_name": "Model", "config": {"name": name, "layers": layers,
                                              "input_layers": [[i, 0, 0] for i in inputs],
                                              "output_layers": [[o, 0, 0] for o in outputs]},
            "keras_version": KERAS_VERSION, "backend": "tensorflow"}


def node(layer_dict, *inputs):
    layer_dict["name"] = layer_dict["config"]["name"]
    layer_dict["inbound_nodes"] = [[[i, 0, 0, {}] for i in inputs]] if inputs else []
    return layer_dict


def plain_keras(m):
    layers = [
        conv_config("conv1", 6, 3, activation="relu", input_shape=(12, 12, 1)),
        layer("MaxPooling2D", "pool1", pool_size=[2, 2], padding="valid", strides=[2, 2],
              data_format="channels_last"),
        conv_config("conv2", 8, 3, padding="same", activation="relu"),
        layer("AveragePooling2D", "pool2", pool_size=[2, 2], padding="valid", strides=[2, 2],
              data_format="channels_last"),
        layer("Flatten", "flatten", data_format="channels_last"),
        layer("Dense", "fc1", units=16, activation="relu", use_bias=True),
        layer("Dropout", "drop", rate=0.5, noise_shape=None, seed=None),
        layer("Dense", "fc2", units=10, activation="softmax", use_bias=True),
    ]
    config = {"class_name": "Sequential", "config": {"name": "plain_cnn", "layers": layers},
              "keras_version": KERAS_VERSION, "backend": "tensorflow"}
    weights = {
        "conv1": [("kernel", conv_kernel(m.conv1)), ("bias", m.conv1.bias.detach().numpy())],
        "conv2": [("kernel", conv_kernel(m.conv2)), ("bias", m.conv2.bias.detach().numpy())],
        "fc1": [("kernel", dense_kernel(m.fc1, (8, 2, 2))), ("bias", m.fc1.bias.detach().numpy())],
        "fc2": [("kernel", dense_kernel(m.fc2)), ("bias", m.fc2.bias.detach().numpy())],
    }
    return config, weights


def residual_keras(m):
    layers = [node(layer("InputLayer", "input_1", batch_input_shape=[None, 10, 10, 3], sparse=False))]
    weights = {}

    def bn(name, module, inp):
        layers.append(node(layer("BatchNormalization", name, axis=-1, momentum=0.9, epsilon=1e-5, center=True,
                                 scale=True), inp))
        weights[name] = list(zip(["gamma", "beta", "moving_mean", "moving_variance"], bn_weights(module)))

    def conv(name, module, inp, filters, kernel, stride=1, padding="valid"):
        layers.append(node(conv_config(name, filters, kernel, stride, padding, use_bias=False), inp))
        weights[name] = [("kernel", conv_kernel(module))]

    def relu(name, inp):
        layers.append(node(layer("Activation", name, activation="relu"), inp))

    conv("conv_d", m.conv_d, "input_1", 8, 3, padding="same")
    bn("bn", m.bn, "conv_d")
    relu("relu", "bn")
    prev = "relu"
    for block_name, block, filters, stride in [("layer1_0", m.layer1[0], 8, 1), ("layer2_0", m.layer2[0], 12, 2)]:
        p = block_name + "_"
        if stride == 1:
            conv(p + "conv1", block.conv1, prev, filters, 3, padding="same")
        else:
            layers.append(node(layer("ZeroPadding2D", p + "pad", padding=[[1, 1], [1, 1]],
                                     data_format="channels_last"), prev))
            conv(p + "conv1", block.conv1, p + "pad", filters, 3, stride)
        bn(p + "bn1", block.bn1, p + "conv1")
        relu(p + "relu", p + "bn1")
        conv(p + "conv2", block.conv2, p + "relu", filters, 3, padding="same")
        bn(p + "bn2", block.bn2, p + "conv2")
        skip = prev
        if block.downsample is not None:
            conv(p + "downsample_0", block.downsample[0], prev, filters, 1, stride)
            bn(p + "downsample_1", block.downsample[1], p + "downsample_0")
            skip = p + "downsample_1"
        layers.append(node(layer("Add", p + "add"), p + "bn2", skip))
        relu(p + "relu_1", p + "add")
        prev = p + "relu_1"
    layers.append(node(layer("GlobalAveragePooling2D", "pool", data_format="channels_last"), prev))
    layers.append(node(layer("Dense", "fc", units=7, activation="linear", use_bias=True), "pool"))
    weights["fc"] = [("kernel", dense_kernel(m.fc)), ("bias", m.fc.bias.detach().numpy())]
    return functional("residual_cnn", layers, ["input_1"], ["fc"]), weights


def same_keras(m):
    layers = [
        node(layer("InputLayer", "image", batch_input_shape=[None, 8, 8, 2], sparse=False)),
        node(conv_config("conv_a", 4, 2, padding="same", activation="relu"), "image"),
        node(conv_config("conv_b", 4, 3, padding="same", activation="tanh"), "image"),
        node(layer("Concatenate", "concat", axis=-1), "conv_a", "conv_b"),
        node(layer("MaxPooling2D", "pool", pool_size=[3, 3], padding="same", strides=[2, 2],
                   data_format="channels_last"), "concat"),
        node(conv_config("conv_c", 6, 3, strides=2, padding="same", activation="relu"), "pool"),
        node(layer("GlobalMaxPooling2D", "gmp", data_format="channels_last"), "conv_c"),
        node(layer("Dense", "out", units=5, activation="linear", use_bias=True), "gmp"),
        node(layer("Softmax", "softmax", axis=-1), "out"),
    ]
    weights = {n: [("kernel", conv_kernel(c)), ("bias", c.bias.detach().numpy())]
               for n, c in [("conv_a", m.conv_a), ("conv_b", m.conv_b), ("conv_c", m.conv_c)]}
    weights["out"] = [("kernel", dense_kernel(m.out)), ("bias", m.out.bias.detach().numpy())]
    return functional("keras_same", layers, ["image"], ["softmax"]), weights


# ---- ONNX ----

def export_onnx(model, example, path, **kwargs):
    torch.onnx.export(model, example, path, opset_version=13, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "n"}, "logits": {0: "n"}}, **kwargs)


def same_onnx(m, path):
    """keras_same as a converter from Keras writes it: SAME_UPPER convolutions, explicit pool padding."""
    init = []

    def tensor(name, value):
        init.append(numpy_helper.from_array(value.detach().numpy().astype(np.float32), name))
        return name

    nodes = [
        helper.make_node("Conv", ["input", tensor("conv_a.weight", m.conv_a.weight), tensor("conv_a.bias", m.conv_a.bias)],
                         ["a"], name="conv_a", kernel_shape=[2, 2], auto_pad="SAME_UPPER"),
        helper.make_node("Relu", ["a"], ["a_relu"], name="conv_a_relu"),
        helper.make_node("Conv", ["input", tensor("conv_b.weight", m.conv_b.weight), tensor("conv_b.bias", m.conv_b.bias)],
                         ["b"], name="conv_b", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Tanh", ["b"], ["b_tanh"], name="conv_b_tanh"),
        helper.make_node("Concat", ["a_relu", "b_tanh"], ["cat"], name="concat", axis=1),
        helper.make_node("MaxPool", ["cat"], ["pool"], name="pool", kernel_shape=[3, 3], strides=[2, 2],
                         pads=[0, 0, 1, 1]),
        helper.make_node("Conv", ["pool", tensor("conv_c.weight", m.conv_c.weight), tensor("conv_c.bias", m.conv_c.bias)],
                         ["c"], name="conv_c", kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_UPPER"),
        helper.make_node("Relu", ["c"], ["c_relu"], name="conv_c_relu"),
        helper.make_node("GlobalMaxPool", ["c_relu"], ["gmp"], name="gmp"),
        helper.make_node("Flatten", ["gmp"], ["flat"], name="flatten", axis=1),
        helper.make_node("Gemm", ["flat", tensor("out.weight", m.out.weight), tensor("out.bias", m.out.bias)],
                         ["logits"], name="out", transB=1),
    ]
    graph = helper.make_graph(nodes, "keras_same",
                              [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["n", 2, 8, 8])],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["n", 5])], init)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="fineprune-fixtures")
    onnx.checker.check_model(model)
    onnx.save(model, path)


def expected(model, shape, path, seed):
    x = torch.rand((4,) + shape, generator=torch.Generator().manual_seed(seed))
    with torch.no_grad():
        logits = model.double()(x.double()).numpy()
    model.float()
    with h5py.File(path, "w") as f:
        f.create_dataset("input", data=x.numpy().astype(np.float32))
        f.create_dataset("logits", data=logits.astype(np.float32))


def main():
    os.makedirs(OUT, exist_ok=True)
    out = lambda name: os.path.join(OUT, name)

    plain = randomize(PlainCnn(), 1)
    export_onnx(plain, torch.zeros(1, 1, 12, 12), out("plain_cnn.onnx"))
    write_keras(out("plain_cnn.h5"), *plain_keras(plain))
    expected(plain, (1, 12, 12), out("plain_cnn.expected.h5"), 11)

    residual = randomize(ResidualCnn(), 2)
    export_onnx(residual, torch.zeros(1, 3, 10, 10), out("residual_cnn.onnx"))
    export_onnx(residual, torch.zeros(1, 3, 10, 10), out("residual_cnn_bn.onnx"),
                training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
    write_keras(out("residual_cnn.h5"), *residual_keras(residual))
    expected(residual, (3, 10, 10), out("residual_cnn.expected.h5"), 12)

    same = randomize(KerasSame(), 3)
    same_onnx(same, out("keras_same.onnx"))
    write_keras(out("keras_same.h5"), *same_keras(same))
    expected(same, (2, 8, 8), out("keras_same.expected.h5"), 13)


if __name__ == "__main__":
    main()
