// Entry points of the board glue (board_glue.cpp), called by r307_bridge.ino.
#ifndef R307_BRIDGE_BOARD_GLUE_H
#define R307_BRIDGE_BOARD_GLUE_H

void bridgeSetup();
void bridgeLoop();

#endif  // R307_BRIDGE_BOARD_GLUE_H
