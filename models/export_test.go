package models

// FoldApplicationCounts lets the tests fold an edition's log of application counts whenever they like.
var FoldApplicationCounts = (*Store).foldApplicationCounts

// FoldJudgeProgress lets the tests fold a round's log of judges' progress whenever they like.
var FoldJudgeProgress = (*Store).foldJudgeProgress

// FoldEntryJudges lets the tests fold a round's log of entries by number of judges whenever they like.
var FoldEntryJudges = (*Store).foldEntryJudges
