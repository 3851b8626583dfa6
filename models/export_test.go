package models

// FoldApplicationCounts lets the tests fold an edition's log of application counts whenever they like.
var FoldApplicationCounts = (*Store).foldApplicationCounts
