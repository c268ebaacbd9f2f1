import { Module } from '@nestjs/common';
import { RelayService } from './relay.service';

/** Events out: the store's feed, projected per recipient, onto each recipient's topics. */
@Module({ providers: [RelayService] })
export class RelayModule {}
