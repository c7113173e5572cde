package carryover

func (c *run) rollouts() {}
