"""The lab: everything that fits, trains or scores, apart from the analysis that runs.

    training.py         `newsledger train attributions`: the cue lexicon and the decision model
    training_tagger.py  fine-tuning the attribution tagger (torch, the `train` extra), ONNX export
    fitting.py          the decision model's logistic regression; a training fold's candidates
    cue_lexicon.py      counting the cue lexicon on annotated articles
    eval/               `newsledger eval`: corpus readers (PolNeAR, NewsQuant, TimeML, the real-news
                        set) and scoring

The run-time package never imports this one (tests/test_layout.py); the CLI's `train` and `eval`
commands import it inside the command.
"""
